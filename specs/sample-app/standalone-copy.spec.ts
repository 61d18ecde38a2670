/**
 * sample-app/ is the starter people copy: copied out of this repository on its own, it installs from its own
 * package.json, type-checks, starts with `npm start`, and signs a user in.
 */
// vitest: long-running
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopiedOut, copyOutAndInstall, run } from '../../harness/copied-out.ts';
import { appSettings, freePort } from '../../harness/kit.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { type Started, startCommand } from '../../harness/processes.ts';
import { alice, type SeededHybridClient, seedWithAppClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

let copy: CopiedOut;
let idp: TestIdp;
let client: SeededHybridClient;
let app: Started;
let appUrl: string;

beforeAll(async () => {
  copy = await copyOutAndInstall('sample-app');
  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  const seeded = seedWithAppClient(appUrl);
  client = seeded.client;
  idp = await startTestIdp({ seed: seeded.seed });
  // Configured the way its README says: a .env file next to package.json.
  await copy.writeEnv(appSettings(idp, client, port));
  app = startCommand('npm', ['start'], copy.folder, {});
  await app.waitFor(/listening on/, 30_000);
}, 200_000);

afterAll(async () => {
  await app?.stop();
  await idp?.dispose();
  await copy?.remove();
});

describe('the sample app copied out of the repository', () => {
  it('carries its guide, its lockfile and a .gitignore that keeps .env (the client secret) out', async () => {
    expect(await readFile(join(copy.folder, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(await readFile(join(copy.folder, 'README.md'), 'utf8')).toContain('sequenceDiagram');
    expect(JSON.parse(await readFile(join(copy.folder, 'package-lock.json'), 'utf8')).name).toBe(
      'hybrid-client-sample-app',
    );
  });

  it('type-checks with its own tsconfig and dependencies', async () => {
    const { stdout, stderr } = await run('npm', ['run', 'typecheck'], { cwd: copy.folder, timeout: 60_000 });
    expect(`${stdout}${stderr}`).not.toMatch(/error TS/);
  }, 70_000);

  it('starts with npm start, configured by its .env file, and signs a user in', async () => {
    const agent = new UserAgent();
    const base = appUrl.replace('localhost', '127.0.0.1');
    const login = await agent.request(`${base}/login?returnTo=/profile`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
    const callback = await agent.request(`${base}/callback`, { form: response.fields });
    expect(callback.response.headers.get('location')).toBe('/profile');
    expect((await agent.request(`${base}/profile`)).body).toContain(alice.id);
  });
});
