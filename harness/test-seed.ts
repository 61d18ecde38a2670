/**
 * The identity server the specs run against: two tenants, and one client for each rule that needs its own
 * settings. Values are fixed so that a failing spec names the same client every time.
 */
import type { SeedFile as Seed, TenantRoleName } from '../mock-idp/src/index.ts';

export const tenant = { id: '11111111-1111-4111-8111-111111111111', name: 'Spec Tenant' };
export const otherTenant = { id: '22222222-2222-4222-8222-222222222222', name: 'Other Tenant' };

export const alice = {
  id: 'a11ce000-0000-4000-8000-000000000001',
  tenantId: tenant.id,
  email: 'alice@example.com',
  password: 'alice-password-1',
  name: 'Alice Example',
  givenName: 'Alice',
  familyName: 'Example',
  roles: ['Tenant Member'] as TenantRoleName[],
};
export const bob = {
  id: 'b0b00000-0000-4000-8000-000000000002',
  tenantId: otherTenant.id,
  email: 'bob@example.org',
  password: 'bob-password-22',
  name: 'Bob Other',
  givenName: 'Bob',
  familyName: 'Other',
  roles: ['Tenant Member'] as TenantRoleName[],
};

/** A Tenant Administrator of the spec tenant: the portal's user. */
export const carol = {
  id: 'ca201000-0000-4000-8000-000000000003',
  tenantId: tenant.id,
  email: 'carol@example.com',
  password: 'carol-password-3',
  name: 'Carol Admin',
  givenName: 'Carol',
  familyName: 'Admin',
  roles: ['Tenant Administrator', 'Tenant Member'] as TenantRoleName[],
};

/** A user of the spec tenant who holds no tenant role at all. */
export const dave = {
  id: 'da0e0000-0000-4000-8000-000000000004',
  tenantId: tenant.id,
  email: 'dave@example.com',
  password: 'dave-password-4',
  name: 'Dave Norole',
  givenName: 'Dave',
  familyName: 'Norole',
  roles: [] as TenantRoleName[],
};

export interface SeededHybridClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** Allow Refresh Token on, default token lifetime (3600 s), two secrets that never expire. */
export const offlineClient = {
  id: 'c0000000-0000-4000-8000-00000000000a',
  secret: 'offline-client-secret-1',
  secondSecret: 'offline-client-secret-2',
  redirectUri: 'https://app.example.com/callback',
  postLogoutRedirectUri: 'https://app.example.com/signed-out',
};

/** Allow Refresh Token off, the minimum token lifetime (60 s), one secret with the default expiry (one year). */
export const onlineClient = {
  id: 'c0000000-0000-4000-8000-00000000000b',
  secret: 'online-client-secret-1',
  redirectUri: 'http://localhost:3000/callback',
  postLogoutRedirectUri: 'http://localhost:3000/signed-out',
};

/** AllowAccessTokensViaBrowser on: `code token` and `code id_token token` may put an access token in the browser. */
export const browserTokensClient = {
  id: 'c0000000-0000-4000-8000-00000000000d',
  secret: 'browser-tokens-secret-1',
  redirectUri: 'https://spa-ish.example.com/callback',
  postLogoutRedirectUri: 'https://spa-ish.example.com/bye',
};

/** A hybrid client of the other tenant. */
export const otherTenantClient = {
  id: 'c0000000-0000-4000-8000-00000000000c',
  secret: 'other-tenant-secret-1',
  redirectUri: 'https://other.example.net/callback',
  postLogoutRedirectUri: 'https://other.example.net/bye',
};

export const adminClient = {
  id: 'c0000000-0000-4000-8000-0000000000ad',
  secret: 'admin-client-secret-1',
};

/** A client-credentials client of the spec tenant that holds no role: it may only act on itself ("Self"). */
export const rolelessServiceClient = {
  id: 'c0000000-0000-4000-8000-0000000000af',
  secret: 'roleless-client-secret-1',
};

type SeedHybridClient = Seed['hybridClients'][number];

/**
 * The seed entry of a client the specs know: its redirect and logout URLs registered, its secret never expiring,
 * refresh tokens allowed and the default lifetime, unless `settings` says otherwise.
 */
function seededHybridClient(
  client: SeededHybridClient,
  name: string,
  settings: Partial<SeedHybridClient> = {},
): SeedHybridClient {
  return {
    id: client.id,
    tenantId: tenant.id,
    name,
    redirectUris: [client.redirectUri],
    postLogoutRedirectUris: [client.postLogoutRedirectUri],
    accessTokenLifetime: 3600,
    allowOfflineAccess: true,
    secrets: [{ description: 'spec secret', value: client.secret, expiration: null }],
    ...settings,
  };
}

export const testSeed: Seed = {
  tenants: [tenant, otherTenant],
  users: [alice, bob, carol, dave],
  clientCredentialsClients: [
    {
      id: adminClient.id,
      tenantId: tenant.id,
      name: 'Spec administration',
      roles: ['Tenant Administrator', 'Tenant Member'],
      accessTokenLifetime: 3600,
      secrets: [{ description: 'admin', value: adminClient.secret, expiration: null }],
    },
    {
      id: rolelessServiceClient.id,
      tenantId: tenant.id,
      name: 'Spec service without roles',
      accessTokenLifetime: 3600,
      secrets: [{ description: 'roleless', value: rolelessServiceClient.secret, expiration: null }],
    },
  ],
  hybridClients: [
    seededHybridClient(offlineClient, 'Offline spec client', {
      redirectUris: [offlineClient.redirectUri, 'https://app.example.com/other-callback'],
      secrets: [
        { description: 'first', value: offlineClient.secret, expiration: null },
        { description: 'second (rotation)', value: offlineClient.secondSecret, expiration: null },
      ],
    }),
    seededHybridClient(onlineClient, 'Online spec client', {
      accessTokenLifetime: 60,
      allowOfflineAccess: false,
      secrets: [{ description: 'default expiry', value: onlineClient.secret }],
    }),
    seededHybridClient(otherTenantClient, 'Other tenant client', { tenantId: otherTenant.id }),
    seededHybridClient(browserTokensClient, 'Browser tokens client', { allowAccessTokensViaBrowser: true }),
  ],
};

/** A hybrid client for an app listening at `origin`, for runs where the app's port is only known at start. */
export function seedWithAppClient(
  origin: string,
  settings: { allowOfflineAccess?: boolean; accessTokenLifetime?: number } = {},
): { seed: Seed; client: SeededHybridClient } {
  const client = {
    id: 'c0000000-0000-4000-8000-0000000000e2',
    secret: 'browser-app-secret-1',
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/signed-out`,
  };
  return {
    client,
    seed: {
      ...testSeed,
      hybridClients: [...testSeed.hybridClients, seededHybridClient(client, 'Browser spec app', settings)],
    },
  };
}
