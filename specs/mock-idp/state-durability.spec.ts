/**
 * What an answer promises about the state: every change it made is written to the journal (handed to the kernel,
 * which no crash of the mock takes back) before the answer leaves, and, with --fsync, flushed to the disk too.
 * specs/reliability/crash-safety.spec.ts kills the mock with SIGKILL under load and finds every answered change.
 */
import type { FileHandle } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDataFolder, startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { createClientThroughControls } from '../support/control-clients.ts';
import { fileHandlePrototype } from '../support/file-handles.ts';

async function createClient(idp: TestIdp): Promise<string> {
  const created = await createClientThroughControls(idp.origin, 'Durable');
  expect(created.status).toBe(201);
  return created.id;
}

let idp: TestIdp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await idp?.dispose();
  idp = undefined;
});

describe('what an answer promises about the state', () => {
  it('[#state-written-before-answer] a change is in the journal file when its answer arrives, without a flush to the disk by default', async () => {
    const folder = await makeDataFolder();
    const datasync = vi.spyOn(await fileHandlePrototype(folder.dataDir), 'datasync');
    idp = await startTestIdp({ folder });
    const id = await createClient(idp);
    // Read at once, before anything else can run in the mock: the line was written before the answer.
    expect(await readFile(join(folder.dataDir, 'state.journal'), 'utf8')).toContain(id);
    expect(datasync).not.toHaveBeenCalled();
  });

  it('[#state-written-before-answer] with --fsync, the answer waits for the flush to the disk', async () => {
    const folder = await makeDataFolder();
    const prototype = await fileHandlePrototype(folder.dataDir);
    const datasync = prototype.datasync;
    const flushed: string[] = [];
    vi.spyOn(prototype, 'datasync').mockImplementation(async function (this: FileHandle) {
      await datasync.call(this);
      flushed.push(await readFile(join(folder.dataDir, 'state.journal'), 'utf8'));
    });
    idp = await startTestIdp({ folder, syncToDisk: true });
    const id = await createClient(idp);
    expect(flushed.some((journal) => journal.includes(id))).toBe(true);
  });
});
