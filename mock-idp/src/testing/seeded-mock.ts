/**
 * A mock for a test run or a test worker: test controls on, a fresh state in a folder of its own, a free port,
 * and the seed it started from (with the credentials tests sign in with). The vitest globalSetup and the Playwright
 * fixture both start theirs here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSeedFile, type MockIdpOptions, type RunningMockIdp, startMockIdp } from '../server.ts';
import { readSeedFile, type Seed, type SeedFile, seedSchema } from '../store/seed.ts';

export interface MockIdpSetupOptions extends Pick<MockIdpOptions, 'host' | 'port' | 'issuerUri' | 'edition'> {
  /** The seed, inline; or a seed file. Default: the mock's own seed (the kit's demo tenant). */
  seed?: SeedFile;
  seedFile?: string;
}

export interface SeededMockIdp {
  idp: RunningMockIdp;
  seed: Seed;
  /** Stops the mock and removes its folder. */
  dispose(): Promise<void>;
}

export async function startSeededMockIdp(options: MockIdpSetupOptions = {}): Promise<SeededMockIdp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mock-idp-test-'));
  const seedFile = options.seed ? join(dataDir, 'seed.json') : (options.seedFile ?? defaultSeedFile);
  if (options.seed) await writeFile(seedFile, JSON.stringify(options.seed));
  const seed = options.seed ? seedSchema.parse(options.seed) : await readSeedFile(seedFile);
  const idp = await startMockIdp({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dataDir,
    seedFile,
    testControls: true,
    ...(options.issuerUri && { issuerUri: options.issuerUri }),
    ...(options.edition && { edition: options.edition }),
  });
  return {
    idp,
    seed,
    async dispose() {
      await idp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
