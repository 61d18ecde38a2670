/**
 * The snapshot file. It is JSON lines, written and read one row at a time: a header line, then one line per row. No step
 * ever holds the whole state as one string, so no state is too large to save or to load again (a single JSON
 * document stops at V8's longest string, about 512 MB).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { replaceAtomically } from '../plumbing/atomic-files.ts';
import { emptyState, type StateSnapshot, stateVersion } from './records.ts';

/** The first line of a snapshot; each line after it is one row of one table. */
interface SnapshotHeader {
  version: typeof stateVersion;
  journalGeneration: number;
}
interface SnapshotRow {
  table: string;
  row: unknown;
}

type Tables = Omit<StateSnapshot, 'version' | 'journalGeneration'>;
const tablesOf = (snapshot: StateSnapshot): Tables => {
  const { version: _version, journalGeneration: _generation, ...tables } = snapshot;
  return tables;
};

/**
 * The saved snapshot. A snapshot of version 1 (one JSON document, from before refresh tokens were deleted on use
 * and access tokens stopped being tracked) keeps its tenants, users and clients; its sessions, codes and grants
 * are dropped, so users sign in again.
 */
export async function readStateFile(
  path: string,
): Promise<{ snapshot: StateSnapshot; earlierVersion: boolean } | null> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let snapshot: StateSnapshot | null = null;
  try {
    for await (const line of lines) {
      if (snapshot === null) {
        const first = JSON.parse(line) as Omit<Partial<StateSnapshot>, 'version'> & { version?: unknown };
        if (first.version === 1) return { snapshot: fromVersion1(first), earlierVersion: true };
        if (first.version !== stateVersion) {
          throw new Error(`${path}: unsupported state version ${String(first.version)}`);
        }
        snapshot = { ...emptyState(), journalGeneration: (first as SnapshotHeader).journalGeneration };
        continue;
      }
      if (!line) continue;
      const { table, row } = JSON.parse(line) as SnapshotRow;
      // Snapshots written before codes were kept in memory only carry them: codes are not restored.
      if (table === 'codes') continue;
      const rows = (snapshot as unknown as Record<string, unknown[] | undefined>)[table];
      if (!Array.isArray(rows)) throw new Error(`${path}: unknown table ${table}`);
      rows.push(row);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  } finally {
    lines.close();
  }
  if (!snapshot) throw new Error(`${path} is empty`);
  return { snapshot, earlierVersion: false };
}

function fromVersion1(state: Omit<Partial<StateSnapshot>, 'version'>): StateSnapshot {
  const { tenants = [], users = [], clients = [], journalGeneration } = state;
  return {
    ...emptyState(),
    tenants,
    users,
    clients,
    ...(journalGeneration !== undefined && { journalGeneration }),
  };
}

/** Writes a snapshot row by row, in chunks, to a temporary file that replaces the old one once on disk. */
export async function writeStateFile(path: string, snapshot: StateSnapshot): Promise<number> {
  const header: SnapshotHeader = {
    version: stateVersion,
    journalGeneration: snapshot.journalGeneration ?? 0,
  };
  let written = 0;
  await replaceAtomically(path, async (write) => {
    let chunk = `${JSON.stringify(header)}\n`;
    for (const [table, rows] of Object.entries(tablesOf(snapshot))) {
      for (const row of rows as unknown[]) {
        chunk += `${JSON.stringify({ table, row } satisfies SnapshotRow)}\n`;
        if (chunk.length >= 1 << 20) {
          written += await write(chunk);
          chunk = '';
        }
      }
    }
    written += await write(chunk);
  });
  return written;
}
