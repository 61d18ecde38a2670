/**
 * `npm start`'s ports, one variable per server: PORT moves the sample app, MOCK_IDP_PORT the mock identity
 * server. The app derives its own URLs from PORT (sample-app/src/config.ts, as it does when copied); the URLs that
 * name the mock (ISSUER_URL, API_BASE_URL) are derived here unless set, and one that is set and names another
 * loopback port than the mock's is a half-moved setup, refused with what to set.
 */
import type { RunningMockIdp } from '../mock-idp/src/index.ts';
import type { AppConfig } from '../sample-app/src/config.ts';
import { isLoopback, mockDefaults, portOf } from '../sample-app/src/config.ts';

type Environment = Record<string, string | undefined>;

/**
 * The ports browsers refuse to load, whatever the server (the Fetch standard's bad ports, which Chromium, Firefox and
 * Safari all apply): a kit on one starts, and no browser can open it.
 */
const badPorts = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function kitEnvironment(env: Environment): {
  env: Environment;
  problems: string[];
  warnings: string[];
} {
  const mockPort = env.MOCK_IDP_PORT || '4000';
  const servers = [
    { variable: 'PORT', port: env.PORT || '3000', urls: [] },
    { variable: 'MOCK_IDP_PORT', port: mockPort, urls: ['ISSUER_URL', 'API_BASE_URL'] },
  ];
  const derived: Record<string, string> = {
    ISSUER_URL: `http://127.0.0.1:${mockPort}/identity`,
    API_BASE_URL: `http://127.0.0.1:${mockPort}`,
  };
  const problems: string[] = [];
  const warnings: string[] = [];
  const result: Environment = { ...env };
  for (const server of servers) {
    if (badPorts.has(Number(server.port)))
      warnings.push(
        `${server.variable}=${server.port}: browsers refuse to open this port (ERR_UNSAFE_PORT); choose another, e.g. ${server.variable}=${Number(server.port) + 100}`,
      );
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
      if (url && isLoopback(url) && String(portOf(url)) !== server.port)
        problems.push(
          `${name}=${value} names port ${portOf(url)}, but ${server.variable} is ${server.port}: unset ${name} ` +
            `(npm start derives it from ${server.variable}) or set both to the same port`,
        );
    }
  }
  return { env: result, problems, warnings };
}

/** The URLs the app derives from its port (sample-app/src/config.ts): the ones npm start registers at the demo client. */
const kitMadeUrl = /^http:\/\/localhost:\d+\/(callback|signed-out)$/;

/**
 * When the app runs with the mock's demo client, the client must list the app's URLs; the seed lists port 3000's,
 * and applies to a fresh state only. Registers the app's URLs the way the portal would, in place of those an earlier
 * npm start registered for another port (the seed's and anyone else's stay), and says what it added: a kit moved
 * port after port never fills the client's ten URLs.
 */
export function registerAppAtDemoClient(
  idp: RunningMockIdp,
  config: AppConfig,
  seeded: readonly string[] = [],
): string[] {
  if (config.clientId !== mockDefaults.CLIENT_ID) return [];
  const { administration } = idp.context;
  const client = administration.hasTenant(config.tenantId)
    ? administration.hybridClients(config.tenantId).find((candidate) => candidate.id === config.clientId)
    : undefined;
  if (!client) return [];
  const kept = (uri: string) => seeded.includes(uri) || !kitMadeUrl.test(uri);
  const redirectUris = [...new Set([...client.redirectUris.filter(kept), config.redirectUri])];
  const postLogoutRedirectUris = [
    ...new Set([...client.postLogoutRedirectUris.filter(kept), config.postLogoutRedirectUri]),
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
