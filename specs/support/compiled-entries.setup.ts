/**
 * Global setup of the test runs (vitest's and Playwright's): compiles the commands the specs start as child
 * processes once (harness/compiled-entries.ts), for the run's workers to start from; removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCommandEntries } from '../../harness/compiled-entries.ts';
import { compiledEntriesVariable } from '../../harness/processes.ts';

export default async function compileForThisRun(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'hybrid-client-kit-entries-'));
  await compileCommandEntries(folder);
  process.env[compiledEntriesVariable] = folder;
  return () => rm(folder, { recursive: true, force: true });
}
