/**
 * The mock identity server for vitest: a globalSetup that starts one mock for the whole run (test controls on, a
 * fresh state from the seed, a free port) and hands its addresses, seeded clients and users to every test file
 * through vitest's provide/inject. Test files that use different clients can run side by side: scenarios are per
 * client.
 *
 *   // vitest.config.ts: test: { globalSetup: ['./mock-idp.setup.ts'] }
 *   // mock-idp.setup.ts:  export default mockIdpSetup({ seed });
 *   // a test:            const { issuer, clients, controls } = useMockIdp();
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import type { MockIdpControls } from '../controls/test-controls.ts';
import { defaultSeedFile, type MockIdpOptions, startMockIdp } from '../server.ts';
import { readSeedFile, type SeedFile, seedSchema } from '../store/seed.ts';
import { mockIdpControls } from './controls-client.ts';

/** What the tests get: where the mock is, and the seed's clients and users with their credentials. */
export interface ProvidedMockIdp {
  issuer: string;
  authority: string;
  origin: string;
  clients: {
    id: string;
    name: string;
    secret: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
  }[];
  users: { id: string; email: string; password: string | null; name: string; tenantId: string }[];
  tenants: { id: string; name: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    mockIdp: ProvidedMockIdp;
  }
}

export interface MockIdpSetupOptions extends Pick<MockIdpOptions, 'host' | 'port' | 'issuerUri' | 'edition'> {
  /** The seed, inline; or a seed file. Default: the mock's own seed (the kit's demo tenant). */
  seed?: SeedFile;
  seedFile?: string;
}

/** A vitest globalSetup function: export it as the default of your setup file. */
export function mockIdpSetup(options: MockIdpSetupOptions = {}) {
  return async (project: TestProject): Promise<() => Promise<void>> => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mock-idp-vitest-'));
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
    project.provide('mockIdp', {
      issuer: idp.issuer,
      authority: idp.authority,
      origin: idp.origin,
      clients: seed.hybridClients.map((client) => ({
        id: client.id,
        name: client.name,
        secret: client.secrets[0]?.value ?? '',
        redirectUris: client.redirectUris,
        postLogoutRedirectUris: client.postLogoutRedirectUris,
      })),
      users: seed.users.map((user) => ({
        id: user.id,
        email: user.email,
        password: user.password ?? null,
        name: user.name,
        tenantId: user.tenantId,
      })),
      tenants: seed.tenants,
    });
    return async () => {
      await idp.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  };
}

/** In a test file: the mock globalSetup started, and its controls over HTTP. */
export function useMockIdp(): ProvidedMockIdp & { controls: MockIdpControls } {
  const provided = inject('mockIdp');
  if (!provided) {
    throw new Error(
      'no mock identity server was provided: add a globalSetup file that exports mockIdpSetup() (see @hybrid-client-kit/mock-idp/vitest)',
    );
  }
  return { ...provided, controls: mockIdpControls(provided.origin) };
}

export type { MockIdpControls } from '../controls/test-controls.ts';
export { MockIdpControlError, mockIdpControls } from './controls-client.ts';
export { signInOverHttp } from './sign-in.ts';
export { UserAgent } from './user-agent.ts';
