/**
 * Whole files written so that a crash mid-write leaves the previous contents intact: the new contents go to a
 * temporary file that is flushed to disk and then renamed over the old one.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emptyState, type StateSnapshot, stateVersion } from './records.ts';

/**
 * The saved snapshot. A snapshot of version 1 (before refresh tokens were deleted on use and access tokens
 * stopped being tracked) keeps its tenants, users and clients; its sessions, codes and grants are dropped, so
 * users sign in again.
 */
export async function readStateFile(
  path: string,
): Promise<{ snapshot: StateSnapshot; earlierVersion: boolean } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const state = JSON.parse(text) as Omit<StateSnapshot, 'version'> & { version: number };
  if (state.version === stateVersion) return { snapshot: state as StateSnapshot, earlierVersion: false };
  if (state.version !== 1) throw new Error(`${path}: unsupported state version ${String(state.version)}`);
  const { tenants, users, clients, journalGeneration } = state;
  return {
    snapshot: {
      ...emptyState(),
      tenants,
      users,
      clients,
      ...(journalGeneration !== undefined && { journalGeneration }),
    },
    earlierVersion: true,
  };
}

export async function writeFileAtomically(path: string, contents: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', mode);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
