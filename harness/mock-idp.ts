/** Starts the mock identity server in-process for a spec: a fresh data folder, the spec seed, a free port. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EditionName, SeedFile as Seed } from '../mock-idp/src/index.ts';
import { type RunningMockIdp, startMockIdp } from '../mock-idp/src/index.ts';
import { testSeed } from './test-seed.ts';

export interface DataFolder {
  dataDir: string;
  seedFile: string;
  remove(): Promise<void>;
}

export interface TestIdp extends RunningMockIdp {
  dataDir: string;
  /** Stops the server, and removes its data folder unless the spec brought its own. */
  dispose(): Promise<void>;
}

export async function makeDataFolder(seed: Seed = testSeed): Promise<DataFolder> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mock-idp-spec-'));
  const seedFile = join(dataDir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  return { dataDir, seedFile, remove: () => rm(dataDir, { recursive: true, force: true }) };
}

/** A folder passed in outlives the server, so a spec can restart the server on the same state. */
export async function startTestIdp(
  options: {
    seed?: Seed;
    folder?: DataFolder;
    port?: number;
    clientChangeDelaySeconds?: number;
    refreshTokenLifetimeSeconds?: number;
    issuerUri?: string;
    edition?: EditionName;
    authorizationResponseIss?: boolean;
    hybridRefreshTokens?: boolean;
    requireConsent?: boolean;
    syncToDisk?: boolean;
  } = {},
): Promise<TestIdp> {
  const folder = options.folder ?? (await makeDataFolder(options.seed));
  const idp = await startMockIdp({
    port: options.port ?? 0,
    dataDir: folder.dataDir,
    seedFile: folder.seedFile,
    testControls: true,
    clientChangeDelaySeconds: options.clientChangeDelaySeconds ?? 0,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds,
    issuerUri: options.issuerUri,
    edition: options.edition,
    authorizationResponseIss: options.authorizationResponseIss,
    hybridRefreshTokens: options.hybridRefreshTokens,
    requireConsent: options.requireConsent,
    syncToDisk: options.syncToDisk,
  });
  return {
    ...idp,
    dataDir: folder.dataDir,
    async dispose() {
      await idp.close();
      if (!options.folder) await folder.remove();
    },
  };
}
