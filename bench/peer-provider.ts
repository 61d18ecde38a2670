/**
 * The benchmark's peer: node-oidc-provider, configured for the work the mock does — hybrid `code id_token` by
 * form_post, PKCE S256, client_secret_basic, RS256 JWT access tokens (resource indicators), a rotating refresh
 * token with every code exchange, everything in memory (an adapter of plain maps; its development interactions). Used by
 * `npm run bench` only; peer-server.ts runs it.
 */
import type { Adapter, AdapterPayload, Configuration } from 'oidc-provider';
import { hybridClientMetadata } from '../harness/oidc-provider-pages.ts';

/**
 * Everything in memory, without the development adapter's cap of 1,000 entries (which evicts sign-on sessions
 * under a benchmark's load): rows expire when their lifetime ends, as the mock's do.
 */
const rows = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
const index = new Map<string, string>();
const grants = new Map<string, Set<string>>();

class MemoryAdapter implements Adapter {
  constructor(private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const key = `${this.model}:${id}`;
    rows.set(key, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    if (payload.uid) index.set(`${this.model}:uid:${payload.uid}`, id);
    if (payload.userCode) index.set(`${this.model}:userCode:${payload.userCode}`, id);
    if (payload.grantId) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key));
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const key = `${this.model}:${id}`;
    const row = rows.get(key);
    if (row && row.expiresAt <= Date.now()) rows.delete(key);
    return row && row.expiresAt > Date.now() ? row.payload : undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = index.get(`${this.model}:uid:${uid}`);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = index.get(`${this.model}:userCode:${userCode}`);
    return id ? this.find(id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const row = rows.get(`${this.model}:${id}`);
    if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    rows.delete(`${this.model}:${id}`);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grants.get(grantId) ?? []) rows.delete(key);
    grants.delete(grantId);
  }
}

/** The peer's one client: what the benchmark signs in with. */
export const peerClient = {
  id: 'bench-peer-client',
  secret: 'bench-peer-client-secret-0123456789',
  redirectUri: 'https://bench.example/callback',
  postLogoutRedirectUri: 'https://bench.example/signed-out',
};
export const peerApi = 'urn:bench:api';

export const peerConfiguration: Configuration = {
  adapter: MemoryAdapter,
  clients: [hybridClientMetadata(peerClient)],
  responseTypes: ['code id_token'],
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'api'],
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => peerApi,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'api', accessTokenFormat: 'jwt', accessTokenTTL: 3600 }),
    },
  },
  rotateRefreshToken: true,
  // A refresh token with every code exchange, as the mock issues one for offline_access: the same work. (The
  // provider drops offline_access from requests without prompt=consent, which would force a consent page.)
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
};
