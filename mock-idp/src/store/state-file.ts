/**
 * Persists the state as one JSON file. Writes go to a temporary file that is flushed and then renamed over the
 * old one, so a crash mid-write leaves the previous state intact. Bursts of changes are coalesced: at most one
 * write runs at a time, and changes made during it are written by the next one.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StateSnapshot } from './records.ts';

export async function readStateFile(path: string): Promise<StateSnapshot | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const state = JSON.parse(text) as StateSnapshot;
  if (state.version !== 1) throw new Error(`${path}: unsupported state version ${String(state.version)}`);
  return state;
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

export class StateWriter {
  #pending = false;
  #running: Promise<void> | null = null;
  #lastError: unknown = null;
  #snapshotting = false;

  constructor(
    private readonly path: string,
    private readonly takeSnapshot: () => StateSnapshot,
  ) {}

  /** Asks for the current state to be written soon; cheap to call on every change. */
  schedule(): void {
    // What the snapshot itself changes (purging expired records) is already part of that snapshot.
    if (this.#snapshotting) return;
    this.#pending = true;
    this.#running ??= this.#drain();
  }

  /** Resolves once everything changed so far is on disk. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#lastError) throw this.#lastError;
  }

  #serialize(): string {
    this.#snapshotting = true;
    try {
      return JSON.stringify(this.takeSnapshot());
    } finally {
      this.#snapshotting = false;
    }
  }

  async #drain(): Promise<void> {
    // Let the current request finish its changes before taking the snapshot.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending) {
      this.#pending = false;
      try {
        await writeFileAtomically(this.path, this.#serialize());
        this.#lastError = null;
      } catch (error) {
        this.#lastError = error;
        console.error(`mock-idp: could not save state to ${this.path}:`, error);
      }
    }
    this.#running = null;
  }
}
