/**
 * [#state-never-refuses-to-start] A write that fails (a full disk, injected here) loses nothing the mock confirmed
 * (issue 24, finding 4). Before: half a line stayed in the journal, the next append followed it, and the restart
 * refused ("line 7 is damaged"), losing a client answered 201; a 0-byte temporary snapshot stayed behind. Now the
 * failed append is cut back off the journal and its change undone (503), and temporary files do not outlive a
 * failure or a restart.
 */
import fs from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDataFolder, startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { createClientThroughControls } from '../support/control-clients.ts';
import { fileHandlePrototype } from '../support/file-handles.ts';

const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * The journal's next append (a write of change lines) writes only the first `length(line)` characters of its line,
 * then fails as a full disk does. Other writes go through.
 */
function tearNextAppend(length: (line: string) => number): void {
  const write = fs.writeSync;
  let torn = false;
  vi.spyOn(fs, 'writeSync').mockImplementation(((descriptor: number, data: unknown, ...rest: never[]) => {
    if (torn || typeof data !== 'string' || !data.startsWith('{"table"'))
      return write(descriptor, data as string, ...rest);
    torn = true;
    write(descriptor, data.slice(0, length(data)));
    throw diskFull();
  }) as typeof fs.writeSync);
}

const createClient = (idp: TestIdp, name: string) => createClientThroughControls(idp.origin, name);

const clientStatus = async (idp: TestIdp, id: string) =>
  (await fetch(`${idp.origin}/__mock__/clients/${id}`)).status;

afterEach(() => vi.restoreAllMocks());

describe('a failed write', () => {
  it('[#state-never-refuses-to-start] is cut back off the journal and undone (503); what was confirmed before and after survives a restart', async () => {
    const folder = await makeDataFolder();
    let idp = await startTestIdp({ folder });
    const before = await createClient(idp, 'Before');
    expect(before.status).toBe(201);

    tearNextAppend((line) => line.length / 2);
    const failed = await createClient(idp, 'Failed');
    expect(failed.status).toBe(503);
    const names = idp.context.store.clients.values().map((client) => client.name);
    expect(names).not.toContain('Failed');

    const after = await createClient(idp, 'After');
    expect(after.status).toBe(201);
    await idp.close();

    idp = await startTestIdp({ folder });
    expect(await clientStatus(idp, before.id)).toBe(200);
    expect(await clientStatus(idp, after.id)).toBe(200);
    expect(idp.context.store.clients.values().map((client) => client.name)).not.toContain('Failed');
    await idp.dispose();
    await folder.remove();
  });

  it('[#state-never-refuses-to-start] that cannot be cut back either is mended by a whole snapshot at the next write', async () => {
    const folder = await makeDataFolder();
    const prototype = await fileHandlePrototype(folder.dataDir);
    let idp = await startTestIdp({ folder });
    tearNextAppend(() => 7);
    vi.spyOn(prototype, 'truncate').mockRejectedValueOnce(diskFull());
    expect((await createClient(idp, 'Torn')).status).toBe(503);
    const kept = await createClient(idp, 'Kept');
    expect(kept.status).toBe(201);
    await idp.crash();

    idp = await startTestIdp({ folder });
    expect(await clientStatus(idp, kept.id)).toBe(200);
    await idp.dispose();
    await folder.remove();
  });

  it('[#state-never-refuses-to-start] leaves no temporary snapshot behind, and a restart removes those a crash left', async () => {
    const folder = await makeDataFolder();
    const prototype = await fileHandlePrototype(folder.dataDir);
    let idp = await startTestIdp({ folder });
    const kept = await createClient(idp, 'Journalled');
    vi.spyOn(prototype, 'sync').mockRejectedValueOnce(diskFull());
    await idp.close();
    expect((await readdir(folder.dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    await writeFile(join(folder.dataDir, 'state.json.12345.tmp'), '');
    idp = await startTestIdp({ folder });
    expect((await readdir(folder.dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await clientStatus(idp, kept.id)).toBe(200);
    await idp.dispose();
    await folder.remove();
  });
});
