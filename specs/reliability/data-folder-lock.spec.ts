/**
 * One mock per data folder (issue 24, finding 1). Two mocks on one folder each kept their own state and wrote over
 * the other's files: a client answered 201 by the first was gone after a restart. The folder is now locked while a
 * mock uses it: a second mock, and a reset, refuse with one line naming the owner's pid and the setting (exit 2);
 * the lock of a process that is gone is taken over.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataFolder, startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { startMockIdpProcess } from '../../harness/mock-idp-process.ts';
import { startTypeScript } from '../../harness/processes.ts';
import { DataFolderInUse, lockFileName } from '../../mock-idp/src/store/data-folder-lock.ts';
import { createClientThroughControls } from '../support/control-clients.ts';

const started: TestIdp[] = [];
afterEach(async () => {
  for (const idp of started.splice(0)) await idp.dispose();
});

/** The pid of a process that has just ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid as number;
}

describe('one mock per data folder', () => {
  it('[#data-folder-locked] refuses a second mock in the same process, names the owner, and lets the folder go at close', async () => {
    const folder = await makeDataFolder();
    const first = await startTestIdp({ folder });
    started.push(first);
    await expect(startTestIdp({ folder })).rejects.toThrow(DataFolderInUse);
    await expect(startTestIdp({ folder })).rejects.toThrow(`pid ${process.pid}`);
    expect(await readFile(join(folder.dataDir, lockFileName), 'utf8')).toBe(`${process.pid}\n`);
    await first.close();
    started.splice(0);
    started.push(await startTestIdp({ folder }));
    await folder.remove();
  });

  it('[#data-folder-locked] takes over the lock of a process that is gone, and of a mock of this process that crashed', async () => {
    const folder = await makeDataFolder();
    await writeFile(join(folder.dataDir, lockFileName), `${await deadPid()}\n`);
    const idp = await startTestIdp({ folder });
    await idp.crash();
    started.push(await startTestIdp({ folder }));
    await folder.remove();
  });

  it('[#data-folder-locked] npm run mock-idp: a second one on the folder, and a reset under a running one, exit 2 with one line; a confirmed client survives', async () => {
    const first = await startMockIdpProcess(await makeDataFolder());
    try {
      const env = {
        MOCK_IDP_PORT: '0',
        MOCK_IDP_DATA_DIR: first.folder.dataDir,
        MOCK_IDP_SEED_FILE: first.folder.seedFile,
      };
      const pid = first.process.child.pid as number;
      for (const args of [[], ['--reset-only']]) {
        const second = startTypeScript('mock-idp/src/main.ts', args, env);
        expect(await second.exited, second.output()).toBe(2);
        const lines = second.output().trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^mock-idp: the data folder .* is in use by another mock identity server/);
        expect(lines[0]).toMatch(/\(pid \d+\)/);
        expect(lines[0]).toContain('--data-dir or MOCK_IDP_DATA_DIR');
        expect(pid).toBeGreaterThan(0);
      }
      const { status, id } = await createClientThroughControls(first.origin, 'Kept');
      expect(status).toBe(201);
      await first.process.stop();
      const again = await startMockIdpProcess(first.folder);
      try {
        expect((await fetch(`${again.origin}/__mock__/clients/${id}`)).status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      await first.folder.remove();
    }
  });
});
