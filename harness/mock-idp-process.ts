/**
 * The mock identity server in its own process, as `npm run mock-idp` runs it (test controls on, garbage
 * collection exposed for memory figures): for crash tests, benchmarks and load runs, which must not share its
 * event loop or its fate.
 */
import type { SeedFile } from '../mock-idp/src/index.ts';
import { type DataFolder, makeDataFolder } from './mock-idp.ts';
import { nodeArgumentsFor, repositoryRoot, type Started, startCommand } from './processes.ts';

export interface MockIdpProcess {
  issuer: string;
  origin: string;
  folder: DataFolder;
  process: Started;
  /** Memory of the mock's process after a garbage collection, with the number of records it holds. */
  memory(): Promise<{ heapUsed: number; rss: number; records: Record<string, number> }>;
  /** Stops it cleanly and removes its data folder, unless the folder was handed in. */
  stop(): Promise<void>;
  /** Ends it with SIGKILL, as a crash would; the data folder stays. */
  kill(): Promise<void>;
}

/** Starts the mock on a new data folder with this seed, or on an existing folder (a restart). */
export async function startMockIdpProcess(from: SeedFile | DataFolder): Promise<MockIdpProcess> {
  const ownFolder = !('dataDir' in from);
  const folder = ownFolder ? await makeDataFolder(from) : from;
  const child = startCommand(
    process.execPath,
    ['--expose-gc', ...nodeArgumentsFor('mock-idp/src/main.ts')],
    repositoryRoot,
    {
      MOCK_IDP_PORT: '0',
      MOCK_IDP_DATA_DIR: folder.dataDir,
      MOCK_IDP_SEED_FILE: folder.seedFile,
      MOCK_IDP_TEST_CONTROLS: 'true',
    },
  );
  const [, issuer = ''] = await child.waitFor(/issuer (\S+)/, 30_000);
  const origin = new URL(issuer).origin;
  return {
    issuer,
    origin,
    folder,
    process: child,
    async memory() {
      const response = await fetch(`${origin}/__mock__/memory`);
      return (await response.json()) as { heapUsed: number; rss: number; records: Record<string, number> };
    },
    async stop() {
      await child.stop();
      if (ownFolder) await folder.remove();
    },
    async kill() {
      if (child.child.pid && child.child.exitCode === null) process.kill(-child.child.pid, 'SIGKILL');
      await child.exited;
    },
  };
}
