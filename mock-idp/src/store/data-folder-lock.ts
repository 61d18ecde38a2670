/**
 * One mock per data folder. Two mocks on one folder would each keep their own state and overwrite the other's
 * files, so a write one of them confirmed could be gone at the next start. The lock is a file holding the owner's
 * pid, created exclusively (O_EXCL); a lock whose process is gone (a crash, a kill) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const lockFileName = 'mock-idp.lock';

/** Locks this process holds: a lock file naming this pid but held by none of them was left by an abandoned mock. */
const heldHere = new Set<string>();

export class DataFolderInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by another mock identity server (pid ${pid}); stop it, or give this one ` +
        'its own folder with --data-dir or MOCK_IDP_DATA_DIR',
    );
  }
}

export interface DataFolderLock {
  /** Gives the folder up: the lock file goes. */
  release(): Promise<void>;
  /** Lets go of the lock as a crash would: the file stays, and the next mock takes it over. */
  abandon(): void;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function ownerOf(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

const isStale = (path: string, pid: number | null): boolean =>
  pid === null || !isRunning(pid) || (pid === process.pid && !heldHere.has(path));

export async function lockDataFolder(dataDir: string): Promise<DataFolderLock> {
  const path = join(dataDir, lockFileName);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      heldHere.add(path);
      return {
        async release() {
          heldHere.delete(path);
          if ((await ownerOf(path)) === process.pid) await unlink(path).catch(() => undefined);
        },
        abandon: () => heldHere.delete(path),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await ownerOf(path);
    if (!isStale(path, owner)) throw new DataFolderInUse(dataDir, owner as number);
    // Taken over only if it still names the same dead owner: another starting mock may have just taken it.
    if ((await ownerOf(path)) === owner) await unlink(path).catch(() => undefined);
  }
  throw new DataFolderInUse(dataDir, (await ownerOf(path)) ?? 0);
}
