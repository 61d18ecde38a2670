/**
 * node-oidc-provider, a certified OpenID provider, on 127.0.0.1 with one hybrid client: a real server that follows
 * RFC 6749 where IdentityServer differs (a refused client gets 401 with a WWW-Authenticate challenge). Its
 * development sign-in pages (any login and password, then a consent button) are driven by `signIn`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { SeededHybridClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

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
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        response_types: ['code id_token'],
        grant_types: ['authorization_code', 'implicit', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
        // Plain-http redirect URLs on localhost: allowed for native clients only (RFC 8252), which is all we need.
        application_type: 'native',
      },
    ],
    responseTypes: ['code id_token'],
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
  });
  server.on('request', provider.callback());

  return {
    issuer,
    async signIn(agent, authorizationUrl) {
      let hop = await agent.navigate(authorizationUrl);
      for (let page = 0; page < 5; page += 1) {
        const form = UserAgent.form(hop.body);
        if (!form) {
          const error = hop.body
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .match(/error.{0,300}/)?.[0];
          throw new Error(
            `no form at the provider: HTTP ${hop.response.status} ${error ?? hop.body.slice(0, 300)}`,
          );
        }
        const action = new URL(form.action, hop.url).href;
        if (action === client.redirectUri) return form.fields;
        const credentials: Record<string, string> = hop.body.includes('name="login"')
          ? { login: 'ursula', password: 'any' }
          : {};
        hop = await agent.navigate(action, { form: { ...form.fields, ...credentials } });
      }
      throw new Error('the provider did not send the browser back to the client');
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
