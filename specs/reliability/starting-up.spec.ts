/**
 * The mock takes its port before it loads its state and keys (its issuer names the port). A CI step polling the
 * port (docs/ci/rp-conformance.yml waits with curl) reached it in between and got no answer at all: Node's server
 * had no request handler yet, and curl waited until the job timed out. The seed is read from a named pipe here, so
 * the spec decides how long the start takes.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/free-port.ts';
import { makeDataFolder } from '../../harness/mock-idp.ts';
import { testSeed } from '../../harness/test-seed.ts';
import { type RunningMockIdp, startMockIdp } from '../../mock-idp/src/index.ts';

const run = promisify(execFile);
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanUp.splice(0).reverse()) await step();
});

/** Resolves once something accepts TCP connections on the port. */
async function portAccepts(port: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).once('error', () => resolve(false));
    });
    if (accepted) return;
    await sleep(20);
  }
  throw new Error(`nothing listens on ${port}`);
}

describe('a mock that is still starting', () => {
  it('[#answers-while-starting] answers 503 with Retry-After until its state is loaded, then serves', async () => {
    const folder = await makeDataFolder(testSeed);
    cleanUp.push(() => folder.remove());
    const seedPipe = join(folder.dataDir, 'seed-pipe');
    await run('mkfifo', [seedPipe]);
    const port = await freePort();
    let seedSent = false;
    const sendSeed = async () => {
      seedSent = true;
      await writeFile(seedPipe, JSON.stringify(testSeed));
    };
    const starting = startMockIdp({ port, dataDir: folder.dataDir, seedFile: seedPipe });
    // Should the spec fail early, the start still completes, so the server can be closed.
    cleanUp.push(async () => {
      if (!seedSent) await sendSeed();
      await (await starting.catch(() => null))?.close();
    });
    await portAccepts(port);

    const discovery = `http://127.0.0.1:${port}/identity/.well-known/openid-configuration`;
    const early = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(await early.text()).toContain('starting');

    // The seed arrives: the start completes, and the same address serves.
    await sendSeed();
    const idp: RunningMockIdp = await starting;
    const ready = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { issuer: string }).issuer).toBe(idp.issuer);
  });
});
