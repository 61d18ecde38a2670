/** Starts the mock identity server in-process for a spec: a fresh data folder, the spec seed, a free port. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningMockIdp, startMockIdp } from '../../mock-idp/src/server.ts';
import type { Seed } from '../../mock-idp/src/store/seed.ts';
import { testSeed } from './test-seed.ts';

export interface TestIdp extends RunningMockIdp {
  dataDir: string;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

export async function makeDataDir(seed: Seed = testSeed): Promise<{ dataDir: string; seedFile: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mock-idp-spec-'));
  const seedFile = join(dataDir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  return { dataDir, seedFile };
}

export async function startTestIdp(
  options: { seed?: Seed; dataDir?: string; host?: string } = {},
): Promise<TestIdp> {
  const made = await makeDataDir(options.seed);
  const dataDir = options.dataDir ?? made.dataDir;
  const idp = await startMockIdp({
    port: 0,
    host: options.host ?? '127.0.0.1',
    dataDir,
    seedFile: made.seedFile,
    testControls: true,
  });
  return {
    ...idp,
    dataDir,
    async dispose() {
      await idp.close();
      await rm(made.dataDir, { recursive: true, force: true });
    },
  };
}
