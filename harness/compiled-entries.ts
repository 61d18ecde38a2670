/**
 * The kit's commands compiled once per test run (scripts/compile-entry.ts), so the specs that start them as child
 * processes again and again (the native app once per relying-party module, the mock at every crash and restart) do
 * not pay tsx's module loading each time: ~2.7 s of CPU a start through tsx, ~0.6 s from the compiled file.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compileEntry } from '../scripts/compile-entry.ts';
import { commandEntries, compiledNameOf, repositoryRoot } from './processes.ts';

/** Compiles every command entry into `folder`. */
export async function compileCommandEntries(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await Promise.all(
    commandEntries.map((entry) =>
      compileEntry(join(repositoryRoot, entry), join(folder, compiledNameOf(entry))),
    ),
  );
}
