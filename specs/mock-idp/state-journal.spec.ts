/**
 * The state on disk: a snapshot plus a journal of later changes. What a crash can leave behind (a torn last
 * line, a journal from before a snapshot) loads; a damaged journal is refused with a message, never half-loaded.
 */
// vitest: long-running
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { type DataFolder, makeDataFolder, startTestIdp } from '../../harness/mock-idp.ts';
import { offlineClient } from '../../harness/test-seed.ts';

let folder: DataFolder;
beforeEach(async () => {
  folder = await makeDataFolder();
});
afterEach(() => folder.remove());

const journalFile = () => join(folder.dataDir, 'state.journal');
const stateFile = () => join(folder.dataDir, 'state.json');

/** Starts the mock, renames the offline client (one journalled change), and kills it without a clean close. */
async function renameThenCrash(name: string): Promise<void> {
  const idp = await startTestIdp({ folder });
  const client = idp.context.store.clients.get(offlineClient.id);
  if (!client) throw new Error('seeded client missing');
  idp.context.store.clients.put({ ...client, name });
  await idp.flush();
  // Leave the files as a crash would: no final snapshot.
  await idp.crash();
}

describe('the state journal', () => {
  it('replays the journal over the snapshot after a crash, and starts the next run from a new snapshot', async () => {
    await renameThenCrash('Renamed before the crash');
    expect(await readFile(journalFile(), 'utf8')).toContain('Renamed before the crash');
    const idp = await startTestIdp({ folder });
    try {
      expect(idp.context.store.clients.get(offlineClient.id)?.name).toBe('Renamed before the crash');
      expect((await readFile(journalFile(), 'utf8')).trim().split('\n')).toHaveLength(1);
      expect(await readFile(stateFile(), 'utf8')).toContain('Renamed before the crash');
    } finally {
      await idp.dispose();
    }
  });

  it('writes a new snapshot once the journal outgrows it, and loses nothing across that', async () => {
    const idp = await startTestIdp({ folder });
    const client = idp.context.store.clients.get(offlineClient.id);
    if (!client) throw new Error('seeded client missing');
    // About 6 MB of changes: past the 4 MB below which the journal is never compacted.
    for (let round = 0; round < 600; round += 1) {
      idp.context.store.clients.put({ ...client, name: `Round ${round} ${'x'.repeat(10_000)}` });
      if (round % 50 === 0) await idp.flush();
    }
    await idp.flush();
    const journalSize = (await readFile(journalFile(), 'utf8')).length;
    expect(journalSize).toBeLessThan(4 * 2 ** 20);
    await idp.crash();
    const again = await startTestIdp({ folder });
    try {
      expect(again.context.store.clients.get(offlineClient.id)?.name).toMatch(/^Round 599 /);
    } finally {
      await again.dispose();
    }
  });

  it('drops a torn last line (an append the crash cut short, never acknowledged)', async () => {
    await renameThenCrash('Complete change');
    await appendFile(
      journalFile(),
      '{"table":"clients","key":"c0000000-0000-4000-8000-00000000000a","row":{"na',
    );
    const idp = await startTestIdp({ folder });
    try {
      expect(idp.context.store.clients.get(offlineClient.id)?.name).toBe('Complete change');
    } finally {
      await idp.dispose();
    }
  });

  it('ignores a journal older than the snapshot (a crash between writing a snapshot and its journal)', async () => {
    await renameThenCrash('Old journal');
    const journal = await readFile(journalFile(), 'utf8');
    const idp = await startTestIdp({ folder });
    await idp.dispose();
    // The snapshot now holds "Old journal"; put back the journal of the generation before, with another name.
    await writeFile(journalFile(), journal.replaceAll('Old journal', 'Stale name'));
    const again = await startTestIdp({ folder });
    try {
      expect(again.context.store.clients.get(offlineClient.id)?.name).toBe('Old journal');
    } finally {
      await again.dispose();
    }
  });

  it('refuses to start on a journal damaged in the middle, naming the file and line', async () => {
    await renameThenCrash('Before damage');
    const lines = (await readFile(journalFile(), 'utf8')).split('\n');
    lines.splice(1, 0, '{ damaged');
    await writeFile(journalFile(), lines.join('\n'));
    await expect(startTestIdp({ folder })).rejects.toThrow(/state\.journal: line 2 is damaged/);
  });
});

describe('state saved by a pre-release version of the kit', () => {
  it('is refused at start, with the command that forgets it, and nothing of it is rewritten', async () => {
    await renameThenCrash('Renamed by a pre-release kit');
    const [header, ...rows] = (await readFile(stateFile(), 'utf8')).trim().split('\n');
    const preRelease = [JSON.stringify({ ...JSON.parse(header as string), version: 1 }), ...rows].join('\n');
    await writeFile(stateFile(), preRelease);
    await expect(startTestIdp({ folder })).rejects.toThrow(
      /state\.json holds the state of another version of the kit \(1\); npm run mock-idp:reset forgets it/,
    );
    expect(await readFile(stateFile(), 'utf8')).toBe(preRelease);
  });
});

describe('what the state keeps', () => {
  it('a grant refreshed for hours keeps one live refresh token (used ones are deleted), so it does not grow without end', async () => {
    const idp = await startTestIdp({ folder });
    try {
      const { tokens } = await signInForTokens(idp);
      let refreshToken = tokens.refresh_token as string;
      for (let hour = 0; hour < 5; hour += 1) {
        idp.clock.advance(3601);
        const answer = await tokenRequest(
          idp,
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          offlineClient,
        );
        expect(answer.status).toBe(200);
        refreshToken = answer.body.refresh_token as string;
      }
      // One family, one live refresh token: each used token was deleted, so months of refreshes take no room.
      expect(idp.context.store.grants.size).toBe(1);
      expect(idp.context.store.refreshTokens.size).toBe(1);
    } finally {
      await idp.dispose();
    }
  });
});

describe('a change made after the stop', () => {
  it('is taken back and refused, and reported to no one (its request cannot be answered)', async () => {
    const idp = await startTestIdp({ folder });
    const client = idp.context.store.clients.get(offlineClient.id);
    if (!client) throw new Error('seeded client missing');
    await idp.close();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // A request still running at the stop (a password check on the thread pool, say) makes its change now.
      idp.context.store.clients.put({ ...client, name: 'Renamed after the stop' });
      await expect(idp.flush()).rejects.toThrow(/stopped: this change was not saved/);
      expect(idp.context.store.clients.get(offlineClient.id)?.name).toBe(client.name);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
    const restarted = await startTestIdp({ folder });
    try {
      expect(restarted.context.store.clients.get(offlineClient.id)?.name).toBe(client.name);
    } finally {
      await restarted.dispose();
    }
  });
});

describe('grants saved by an earlier kit', () => {
  /** A grant as kits before 2026-11 saved it: its first access token's whole claim set, under accessToken. */
  const asSavedBefore = (line: string, firstClaims: Record<string, unknown>): string => {
    const saved = JSON.parse(line) as { table: string; row: Record<string, unknown> };
    if (saved.table !== 'grants') return line;
    const { firstAccessToken: _kept, ...row } = saved.row;
    return JSON.stringify({ ...saved, row: { ...row, accessToken: firstClaims } });
  };

  for (const file of ['state.json', 'state.journal'] as const) {
    it(`are refreshed with their first access token's claims, read from ${file}`, async () => {
      const idp = await startTestIdp({ folder });
      const { tokens } = await signInForTokens(idp);
      await idp.flush();
      if (file === 'state.json') await idp.dispose();
      else await idp.crash();
      const { nbf: _nbf, exp: _exp, ...firstClaims } = decodeJwt(tokens.access_token);
      const path = join(folder.dataDir, file);
      const lines = (await readFile(path, 'utf8')).split('\n');
      const rewritten = lines.map((line) =>
        line.includes('"grants"') ? asSavedBefore(line, firstClaims) : line,
      );
      expect(rewritten).not.toEqual(lines);
      await writeFile(path, rewritten.join('\n'));

      const restarted = await startTestIdp({ folder });
      try {
        restarted.clock.advance(120);
        const answer = await tokenRequest(
          restarted,
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
          offlineClient,
        );
        expect(answer.status).toBe(200);
        const { nbf, exp: _refreshedExp, ...refreshedClaims } = decodeJwt(answer.body.access_token as string);
        expect(refreshedClaims).toEqual(firstClaims);
        expect(nbf).toBeGreaterThanOrEqual((firstClaims.iat as number) + 120);
      } finally {
        await restarted.dispose();
      }
    });
  }
});

describe('a snapshot that cannot be written', () => {
  it('[#state-never-refuses-to-start] does not stop the start: the mock runs on its journal, and what it acknowledges is kept', async () => {
    await renameThenCrash('Renamed before the disk filled');
    // The snapshot's temporary file cannot be created: a directory stands in its way (as a full disk would fail it).
    await mkdir(`${stateFile()}.${process.pid}.tmp`);
    const idp = await startTestIdp({ folder });
    try {
      const client = idp.context.store.clients.get(offlineClient.id);
      if (!client) throw new Error('seeded client missing');
      expect(client.name).toBe('Renamed before the disk filled');
      idp.context.store.clients.put({ ...client, name: 'Renamed while the snapshot failed' });
      await idp.flush();
      expect(await readFile(journalFile(), 'utf8')).toContain('Renamed while the snapshot failed');
    } finally {
      await idp.crash();
    }
    await rm(`${stateFile()}.${process.pid}.tmp`, { recursive: true });
    const restarted = await startTestIdp({ folder });
    try {
      expect(restarted.context.store.clients.get(offlineClient.id)?.name).toBe(
        'Renamed while the snapshot failed',
      );
    } finally {
      await restarted.dispose();
    }
  });

  it('[#state-never-refuses-to-start] writes and reads back a snapshot row by row (no whole-state string): 20,000 clients', async () => {
    const idp = await startTestIdp({ folder });
    const template = idp.context.store.clients.get(offlineClient.id);
    if (!template) throw new Error('seeded client missing');
    for (let index = 0; index < 20_000; index += 1)
      idp.context.store.clients.restore(`f2000000-0000-4000-8000-${String(index).padStart(12, '0')}`, {
        ...template,
        id: `f2000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      });
    await idp.dispose();
    const lines = (await readFile(stateFile(), 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(20_000);
    const restarted = await startTestIdp({ folder });
    try {
      expect(restarted.context.store.clients.size).toBeGreaterThan(20_000);
    } finally {
      await restarted.dispose();
    }
  });
});
