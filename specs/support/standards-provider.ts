/**
 * node-oidc-provider, a certified OpenID provider, on 127.0.0.1 with one hybrid client: a real server that follows
 * RFC 6749 where IdentityServer differs (a refused client gets 401 with a WWW-Authenticate challenge). Its
 * development sign-in pages (any login and password, then a consent button) are driven by `signIn`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { hybridClientMetadata, signInAtOidcProvider } from '../../harness/oidc-provider-pages.ts';
import type { SeededHybridClient } from '../../harness/test-seed.ts';
import type { UserAgent } from '../../harness/user-agent.ts';

export interface StandardsProvider {
  issuer: string;
  /** Follows the provider's sign-in pages from an authorization URL to the form_post for the client. */
  signIn(agent: UserAgent, authorizationUrl: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startStandardsProvider(client: SeededHybridClient): Promise<StandardsProvider> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      // Plain-http redirect URLs on localhost: allowed for native clients only (RFC 8252), which is all we need.
      { ...hybridClientMetadata(client), application_type: 'native' },
    ],
    responseTypes: ['code id_token'],
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
  });
  server.on('request', provider.callback());

  return {
    issuer,
    signIn: (agent, authorizationUrl) =>
      signInAtOidcProvider(agent, authorizationUrl, client.redirectUri, 'ursula'),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
