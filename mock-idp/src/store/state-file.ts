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
 * The saved snapshot. The state of a pre-release kit (another version) is not read: the error names the command
 * that forgets it, after which the seed applies.
 */
export async function readStateFile(path: string): Promise<StateSnapshot | null> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let snapshot: StateSnapshot | null = null;
  try {
    for await (const line of lines) {
      if (snapshot === null) {
        const first = JSON.parse(line) as { version?: unknown };
        if (first.version !== stateVersion) {
          throw new Error(
            `${path} holds the state of another version of the kit (${String(first.version)}); ` +
              'npm run mock-idp:reset forgets it, and the seed applies at the next start',
          );
        }
        snapshot = { ...emptyState(), journalGeneration: (first as SnapshotHeader).journalGeneration };
        continue;
      }
      if (!line) continue;
      const { table, row } = JSON.parse(line) as SnapshotRow;
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
  return snapshot;
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
