/**
 * `npm start`'s ports, one variable per server: PORT moves the sample app, MOCK_IDP_PORT the mock identity
 * server. The URLs that name them (ISSUER_URL, API_BASE_URL, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI) are derived
 * unless set; a URL that is set and names another loopback port than its server's is a half-moved setup, refused
 * with what to set.
 */
import type { RunningMockIdp } from '../mock-idp/src/index.ts';
import type { AppConfig } from '../sample-app/src/config.ts';
import { mockDefaults } from '../sample-app/src/config.ts';

type Environment = Record<string, string | undefined>;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);
const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

export function kitEnvironment(env: Environment): { env: Environment; problems: string[] } {
  const servers = [
    { variable: 'PORT', port: env.PORT || '3000', urls: ['REDIRECT_URI', 'POST_LOGOUT_REDIRECT_URI'] },
    { variable: 'MOCK_IDP_PORT', port: env.MOCK_IDP_PORT || '4000', urls: ['ISSUER_URL', 'API_BASE_URL'] },
  ];
  const derived: Record<string, string> = {
    ISSUER_URL: `http://127.0.0.1:${servers[1]?.port}/identity`,
    API_BASE_URL: `http://127.0.0.1:${servers[1]?.port}`,
    REDIRECT_URI: `http://localhost:${servers[0]?.port}/callback`,
    POST_LOGOUT_REDIRECT_URI: `http://localhost:${servers[0]?.port}/signed-out`,
  };
  const problems: string[] = [];
  const result: Environment = { ...env };
  for (const server of servers) {
    if (server.port === '0') {
      problems.push(`${server.variable}=0: npm start needs a fixed port, because the app's URLs name it`);
      continue;
    }
    for (const name of server.urls) {
      const value = env[name];
      if (!value) {
        result[name] = derived[name];
        continue;
      }
      const url = URL.canParse(value) ? new URL(value) : null;
      // A URL elsewhere (a real tenant, a proxy) is the user's choice; a loopback URL must name the server's port.
      if (url && loopbackHosts.has(url.hostname) && portOf(url) !== server.port)
        problems.push(
          `${name}=${value} names port ${portOf(url)}, but ${server.variable} is ${server.port}: unset ${name} ` +
            `(npm start derives it from ${server.variable}) or set both to the same port`,
        );
    }
  }
  return { env: result, problems };
}

/**
 * When the app runs with the mock's demo client, the client must list the app's URLs; the seed lists port 3000's,
 * and applies to a fresh state only. Adds the app's URLs the way the portal would, and says what it added.
 */
export function registerAppAtDemoClient(idp: RunningMockIdp, config: AppConfig): string[] {
  if (config.clientId !== mockDefaults.CLIENT_ID) return [];
  const { administration } = idp.context;
  const client = administration.hasTenant(config.tenantId)
    ? administration.hybridClients(config.tenantId).find((candidate) => candidate.id === config.clientId)
    : undefined;
  if (!client) return [];
  const redirectUris = [...new Set([...client.redirectUris, config.redirectUri])];
  const postLogoutRedirectUris = [
    ...new Set([...client.postLogoutRedirectUris, config.postLogoutRedirectUri]),
  ];
  const added = [
    ...redirectUris.filter((uri) => !client.redirectUris.includes(uri)),
    ...postLogoutRedirectUris.filter((uri) => !client.postLogoutRedirectUris.includes(uri)),
  ];
  if (added.length > 0)
    administration.updateHybridClient(config.tenantId, config.clientId, {
      redirectUris,
      postLogoutRedirectUris,
    });
  return added;
}
