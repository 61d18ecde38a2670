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
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import type { MockIdpControls } from '../controls/test-controls.ts';
import { mockIdpControls } from './controls-client.ts';
import { type MockIdpSetupOptions, startSeededMockIdp } from './seeded-mock.ts';

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

/** A vitest globalSetup function: export it as the default of your setup file. */
export function mockIdpSetup(options: MockIdpSetupOptions = {}) {
  return async (project: TestProject): Promise<() => Promise<void>> => {
    const { idp, seed, dispose } = await startSeededMockIdp(options);
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
    return dispose;
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
export type { MockIdpSetupOptions } from './seeded-mock.ts';
export { signInOverHttp } from './sign-in.ts';
export { UserAgent } from './user-agent.ts';
