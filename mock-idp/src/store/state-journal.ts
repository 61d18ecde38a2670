/**
 * Keeps the state on disk as a snapshot (state.json) plus a journal of the changes made since (state.journal,
 * one JSON line per put or delete). A change costs one short append, not a rewrite of the whole state; when the
 * journal has grown past the snapshot's size, a new snapshot is written and the journal starts again.
 *
 * Crash safety: appends are written (write(2), at once, on the event loop) before `flush()` resolves, so what a
 * response acknowledged is in the kernel's hands, which no crash of the process (SIGKILL included) takes back. With
 * `syncToDisk`, they are also flushed to the disk (fdatasync) first, which a power loss does not take back either;
 * the changes made meanwhile share the next flush. A crash mid-append leaves a torn last line, which loading ignores
 * (it was never acknowledged). An append that fails (a full disk) is cut back off the journal, so the next one follows whole
 * lines, and its changes are undone in memory: they were never acknowledged (the responses answer 503). Each snapshot names the journal generation that continues it, and a new snapshot is renamed into
 * place before its journal is created, so a journal is only ever replayed over the snapshot it follows.
 */
// The default import, whose writeSync a spec can replace to play a full disk.
import fs from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../plumbing/atomic-files.ts';
import type { IdpStore, MadeChange, StateChange } from './idp-store.ts';
import type { StateSnapshot } from './records.ts';
import { readStateFile, writeStateFile } from './state-file.ts';

/** Below this size the journal is never compacted: replaying a few megabytes at start takes milliseconds. */
const minimumCompactionBytes = 4 * 2 ** 20;

export interface JournalOptions {
  /** The journal generation of the loaded state (its snapshot's). */
  loadedGeneration: number;
  /** Runs just before each snapshot (to forget expired rows). */
  beforeSnapshot: () => void;
  /** Flush each append to the disk (fdatasync) before acknowledging it. */
  syncToDisk: boolean;
}

interface JournalHeader {
  journalGeneration: number;
}

export const journalPathOf = (statePath: string) => statePath.replace(/\.json$/, '.journal');

/** The saved state: the snapshot, with the changes of its journal applied to the store built from it. */
export async function loadState(
  statePath: string,
): Promise<{ snapshot: StateSnapshot; changes: StateChange[] } | null> {
  const snapshot = await readStateFile(statePath);
  if (!snapshot) return null;
  const journalPath = journalPathOf(statePath);
  let text: string;
  try {
    text = await readFile(journalPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { snapshot, changes: [] };
    throw error;
  }
  const lines = text.split('\n');
  // A file that ends without a newline ends with a torn append: it was never acknowledged, so it is dropped.
  lines.pop();
  const [header, ...entries] = lines;
  const generation = header ? (JSON.parse(header) as JournalHeader).journalGeneration : undefined;
  if (generation !== (snapshot.journalGeneration ?? 0)) return { snapshot, changes: [] };
  const changes = entries.map((line, index) => {
    try {
      return JSON.parse(line) as StateChange;
    } catch {
      throw new Error(`${journalPath}: line ${index + 2} is damaged; the state cannot be trusted`);
    }
  });
  return { snapshot, changes };
}

/** A change made after the journal closed (by a request still running at the stop): undone and refused. */
class JournalClosed extends Error {
  constructor() {
    super('the mock identity server has stopped: this change was not saved');
  }
}

export class StateJournal {
  #handle: FileHandle | null = null;
  #generation: number;
  #journalBytes = 0;
  /** The journal file's length up to its last whole line: where a failed append is cut back to. */
  #goodLength = 0;
  /** The changes queued, each with the row it replaced, to undo them if their append fails. */
  #undo: MadeChange[] = [];
  #snapshotBytes = 0;
  #queue: string[] = [];
  #queued = 0;
  #saved = 0;
  #running: Promise<void> | null = null;
  #compactAfterNextWrite = false;
  /** A failed append could not be cut back: the journal ends in a torn line, and only a new snapshot mends it. */
  #journalTorn = false;
  #waiters: { upTo: number; resolve: () => void; reject: (error: unknown) => void }[] = [];

  private constructor(
    private readonly statePath: string,
    private readonly store: IdpStore,
    private readonly options: JournalOptions,
  ) {
    this.#generation = options.loadedGeneration;
  }

  /**
   * Starts journalling the store's changes. The store holds the loaded state (snapshot of `loadedGeneration`,
   * journal replayed); a new snapshot of it is written at once, so the data folder starts clean.
   */
  static async open(statePath: string, store: IdpStore, options: JournalOptions): Promise<StateJournal> {
    const journal = new StateJournal(statePath, store, options);
    try {
      await journal.#compact();
    } catch (error) {
      // Never refuse to start for want of a snapshot (a full disk, say): append to the journal that continues the
      // loaded one, and try a snapshot again after the next write.
      console.error(
        `mock-idp: could not write a snapshot to ${statePath}; continuing with the journal:`,
        error,
      );
      journal.#handle = await open(journalPathOf(statePath), 'a', 0o600);
      journal.#goodLength = (await journal.#handle.stat()).size;
      journal.#compactAfterNextWrite = true;
    }
    store.onChange((change) => journal.#record(change));
    return journal;
  }

  /** How many changes the store has reported since the journal opened. */
  get changes(): number {
    return this.#queued;
  }

  /** Resolves once every change made so far is on disk; rejects if writing them failed. */
  flush(): Promise<void> {
    const upTo = this.#queued;
    if (this.#saved >= upTo) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ upTo, resolve, reject }));
  }

  /** Stops journalling and closes the journal's file, writing nothing more: what a crash leaves behind. */
  async abandon(): Promise<void> {
    this.store.onChange(() => {});
    while (this.#running) await this.#running;
    await this.#handle?.close();
    this.#handle = null;
  }

  /**
   * Writes what is pending, then a fresh snapshot, and closes the journal. A snapshot that cannot be written loses
   * nothing (the journal holds every change, and the next start replays it), so it is reported, not thrown; the
   * journal's file is closed either way.
   */
  async close(): Promise<void> {
    await this.flush().catch(() => {});
    while (this.#running) await this.#running;
    try {
      await this.#compact();
    } catch (error) {
      console.error(
        `mock-idp: could not write a snapshot to ${this.statePath} at stop; the journal keeps it:`,
        error,
      );
    } finally {
      await this.#handle?.close();
      this.#handle = null;
    }
  }

  #record({ previous: _previous, ...change }: MadeChange): void {
    this.#undo.push({ ...change, previous: _previous });
    this.#queue.push(`${JSON.stringify(change)}\n`);
    this.#queued += 1;
    this.#running ??= this.#drain();
  }

  async #drain(): Promise<void> {
    // Let the current request finish its changes, so they share one append.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const lines = this.#queue.join('');
      const upTo = this.#queued;
      const undo = this.#undo;
      this.#queue = [];
      this.#undo = [];
      try {
        if (!this.#handle) throw new JournalClosed();
        if (this.#journalTorn) {
          await this.#compact();
          continue;
        }
        // A short write to the page cache: cheaper on the event loop than a hop to the thread pool and back.
        fs.writeSync(this.#handle.fd, lines);
        if (this.options.syncToDisk) await this.#handle.datasync();
        this.#journalBytes += Buffer.byteLength(lines);
        this.#goodLength += Buffer.byteLength(lines);
        this.#settle(upTo, null);
        if (
          this.#compactAfterNextWrite ||
          this.#journalBytes > Math.max(minimumCompactionBytes, this.#snapshotBytes)
        ) {
          await this.#compact();
        }
      } catch (error) {
        // A request still running when the mock stopped has no one left to answer: nothing to report.
        if (!(error instanceof JournalClosed))
          console.error(`mock-idp: could not save state to ${this.statePath}:`, error);
        await this.#cutBack();
        this.#undoChanges(undo);
        this.#settle(upTo, error);
      }
    }
    this.#running = null;
  }

  /** Cuts a torn append off the journal; if that fails too, the next write is a whole new snapshot instead. */
  async #cutBack(): Promise<void> {
    if (this.#journalTorn) return;
    try {
      await this.#handle?.truncate(this.#goodLength);
    } catch {
      this.#journalTorn = true;
    }
  }

  /**
   * Takes back, newest first, the changes of an append that failed: their responses answer 503. A row changed again
   * since (by a change still queued, which will be written) is left as it is.
   */
  #undoChanges(changes: MadeChange[]): void {
    for (const { table, key, row, previous } of changes.reverse()) {
      if ((this.store[table] as { get(key: string): unknown }).get(key) === (row ?? undefined)) {
        this.store.restore({ table, key, row: previous });
      }
    }
  }

  #settle(upTo: number, error: unknown): void {
    if (!error) this.#saved = upTo;
    const done = this.#waiters.filter((waiter) => waiter.upTo <= upTo);
    this.#waiters = this.#waiters.filter((waiter) => waiter.upTo > upTo);
    for (const waiter of done) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  /** A new snapshot of the next generation, then an empty journal for it. */
  async #compact(): Promise<void> {
    this.options.beforeSnapshot();
    // Everything queued so far is in this snapshot; journal lines for it would only repeat it.
    this.#queue = [];
    this.#undo = [];
    const upTo = this.#queued;
    const generation = this.#generation + 1;
    try {
      this.#snapshotBytes = await writeStateFile(this.statePath, {
        ...this.store.snapshot(),
        journalGeneration: generation,
      });
      this.#generation = generation;
      await this.#openJournal();
    } catch (error) {
      this.#settle(upTo, error);
      throw error;
    }
    this.#compactAfterNextWrite = false;
    this.#journalTorn = false;
    this.#settle(upTo, null);
  }

  async #openJournal(): Promise<void> {
    await this.#handle?.close();
    const path = journalPathOf(this.statePath);
    await writeFileAtomically(
      path,
      `${JSON.stringify({ journalGeneration: this.#generation } satisfies JournalHeader)}\n`,
    );
    this.#journalBytes = 0;
    this.#handle = await open(path, 'a', 0o600);
    this.#goodLength = (await this.#handle.stat()).size;
  }
}
