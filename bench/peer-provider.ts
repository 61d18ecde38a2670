/**
 * The benchmark's peer: node-oidc-provider, configured for the work the mock does — hybrid `code id_token` by
 * form_post, PKCE S256, client_secret_basic, RS256 JWT access tokens (resource indicators), a rotating refresh
 * token with every code exchange, everything in memory (its development adapter and interactions). Used by
 * `npm run bench` only; peer-server.ts runs it.
 */
import type { Configuration } from 'oidc-provider';

/** The peer's one client: what the benchmark signs in with. */
export const peerClient = {
  id: 'bench-peer-client',
  secret: 'bench-peer-client-secret-0123456789',
  redirectUri: 'https://bench.example/callback',
  postLogoutRedirectUri: 'https://bench.example/signed-out',
};
export const peerApi = 'urn:bench:api';

export const peerConfiguration: Configuration = {
  clients: [
    {
      client_id: peerClient.id,
      client_secret: peerClient.secret,
      redirect_uris: [peerClient.redirectUri],
      post_logout_redirect_uris: [peerClient.postLogoutRedirectUri],
      response_types: ['code id_token'],
      grant_types: ['authorization_code', 'implicit', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
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
