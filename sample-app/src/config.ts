/**
 * The app's settings come from the environment (and a .env file, see main.ts), checked once at start with one
 * clear message per problem. With no settings at all, the app runs against the bundled mock identity server and
 * its seeded demo client; pointing it at a real AVEVA Data Hub tenant is a matter of setting these variables.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** The mock identity server's seeded demo client (mock-idp/seed.json). */
export const mockDefaults = {
  ISSUER_URL: 'http://127.0.0.1:4000/identity',
  CLIENT_ID: '7e5d3c1b-9a8f-4e6d-b4c2-a1f0e9d8c7b6',
  CLIENT_SECRET: 'sample-app-secret-for-local-use-only',
  TENANT_ID: '3f2c8b4e-6a1d-4c9e-9b7a-2d5e8f1a0c34',
  API_BASE_URL: 'http://127.0.0.1:4000',
  REDIRECT_URI: 'http://localhost:3000/callback',
  POST_LOGOUT_REDIRECT_URI: 'http://localhost:3000/signed-out',
} as const;

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. https://app.example.com/callback',
});
const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');
/** A whole number in a range, said in words: "eighty" or "8.5" gets the range, not a parser's message. */
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .refine((value) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max, {
      error: `must be ${what} from ${min} to ${max}`,
    })
    .transform(Number);

/** Each setting's own check; what depends on other settings is checked after all of them (checkTogether). */
const settingChecks = {
  ISSUER_URL: httpUrl,
  EXPECTED_ISSUER: z.url({ error: 'must be the issuer the identity server announces (a URL)' }),
  CLIENT_ID: z.string().trim(),
  CLIENT_SECRET: z.string(),
  TENANT_ID: z.guid('must be the tenant id (a GUID)'),
  API_BASE_URL: httpUrl,
  REDIRECT_URI: httpUrl,
  POST_LOGOUT_REDIRECT_URI: httpUrl,
  SCOPES: z.string().refine((value) => value.split(' ').includes('openid'), 'must include openid'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  PORT: wholeNumber(0, 65535, 'a port number'),
  HOST: z.string().trim(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  TRUST_PROXY: flag,
  REFRESH_BEFORE_EXPIRY_SECONDS: wholeNumber(0, 3000, 'a number of seconds'),
  HTTP_TIMEOUT_SECONDS: wholeNumber(1, 120, 'a number of seconds'),
  NODE_ENV: z.string(),
};
type SettingName = keyof typeof settingChecks;
type GivenSettings = { -readonly [Name in SettingName]?: z.output<(typeof settingChecks)[Name]> };

/** Loopback hosts, the only ones where plain http is acceptable (RFC 9700 §2.6: TLS everywhere else). */
export const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
/** The port a URL names, its scheme's when it names none. */
export const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** What a user sets instead of the mock's demo values, when the app signs in somewhere else. */
const ownValues = {
  CLIENT_ID: 'the Client Id of your hybrid client (Security > Clients)',
  CLIENT_SECRET: 'a secret of that client (shown once, when it was added)',
  TENANT_ID: 'your tenant id (a GUID)',
  API_BASE_URL: 'the Data Hub resource, e.g. https://uswe.datahub.connect.aveva.com',
} as const;

export interface AppConfig {
  /** The authority: where discovery and the endpoints are (`{resource}/identity` for Data Hub). */
  issuer: URL;
  /**
   * The issuer the identity server announces and signs tokens with, when it is not the authority URL. Discovery
   * then reads `{ISSUER_URL}/.well-known/openid-configuration` and insists on this issuer instead.
   */
  expectedIssuer: string | undefined;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  apiBaseUrl: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** The app's own origin, taken from REDIRECT_URI: the app serves the callback and signed-out pages. */
  appOrigin: string;
  callbackPath: string;
  signedOutPath: string;
  scopes: string;
  sessionSecret: string;
  /** Cookies get Secure when the app is served over https. */
  secureCookies: boolean;
  port: number;
  host: string;
  redisUrl: string | undefined;
  trustProxy: boolean;
  refreshBeforeExpirySeconds: number;
  httpTimeoutSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The sample app's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

export function loadConfig(env: Record<string, string | undefined>): {
  config: AppConfig;
  warnings: string[];
} {
  const { given, problems } = checkEach(env);
  const issuer = given.ISSUER_URL ?? mockDefaults.ISSUER_URL;
  const atLocalMock = isLoopback(new URL(issuer));

  // The demo client, tenant and API are the local mock's; anywhere else they would sign in as nobody, or as
  // someone else's client, so each must be the user's own.
  const own = Object.fromEntries(
    (Object.keys(ownValues) as (keyof typeof ownValues)[]).map((name) => {
      const value = given[name];
      if (atLocalMock) return [name, value ?? mockDefaults[name]];
      if (env[name] === undefined)
        problems.push(`${name}: must be set when ISSUER_URL is not a local mock: ${ownValues[name]}`);
      else if (value === mockDefaults[name])
        problems.push(
          `${name}: is the local mock's demo value, which ${issuer} does not know: set ${ownValues[name]}`,
        );
      return [name, value ?? mockDefaults[name]];
    }),
  ) as Record<keyof typeof ownValues, string>;

  // The app's URLs follow its port unless set, so an app moved to another port never sends the sign-in to
  // whatever still runs on the old one; a loopback REDIRECT_URI with no PORT says where to listen.
  const redirectGiven = given.REDIRECT_URI ? new URL(given.REDIRECT_URI) : undefined;
  const port = given.PORT ?? (redirectGiven && isLoopback(redirectGiven) ? portOf(redirectGiven) : 3000);
  if (!given.REDIRECT_URI && env.REDIRECT_URI === undefined && port === 0)
    problems.push(
      'REDIRECT_URI: must be set when PORT is 0: the port is picked at each start, and the identity server ' +
        'sends the sign-in only to a registered URL',
    );
  const redirectUri = given.REDIRECT_URI ?? `http://localhost:${port}/callback`;
  const postLogoutRedirectUri = given.POST_LOGOUT_REDIRECT_URI ?? `${new URL(redirectUri).origin}/signed-out`;
  const settings = {
    ...given,
    ISSUER_URL: issuer,
    REDIRECT_URI: redirectUri,
    POST_LOGOUT_REDIRECT_URI: postLogoutRedirectUri,
  };
  problems.push(...checkTogether(settings, env, port));

  if (problems.length > 0) throw new ConfigError(problems);
  const warnings: string[] = [];
  if (!given.SESSION_SECRET) {
    warnings.push('SESSION_SECRET is not set: using a random one, so sessions end when the app restarts');
  }
  const redirect = new URL(redirectUri);
  return {
    warnings,
    config: {
      issuer: new URL(issuer),
      expectedIssuer: given.EXPECTED_ISSUER,
      clientId: own.CLIENT_ID,
      clientSecret: own.CLIENT_SECRET,
      tenantId: own.TENANT_ID,
      apiBaseUrl: own.API_BASE_URL.replace(/\/$/, ''),
      redirectUri,
      postLogoutRedirectUri,
      appOrigin: redirect.origin,
      callbackPath: redirect.pathname,
      signedOutPath: new URL(postLogoutRedirectUri).pathname,
      scopes: given.SCOPES ?? 'openid profile email ocsapi offline_access',
      sessionSecret: given.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      secureCookies: redirect.protocol === 'https:',
      port,
      host: given.HOST ?? '127.0.0.1',
      redisUrl: given.REDIS_URL,
      trustProxy: given.TRUST_PROXY ?? false,
      refreshBeforeExpirySeconds: given.REFRESH_BEFORE_EXPIRY_SECONDS ?? 60,
      httpTimeoutSeconds: given.HTTP_TIMEOUT_SECONDS ?? 10,
    },
  };
}

/**
 * Every setting that is set, checked on its own: all problems at once, in the settings' order. A blank one is a
 * problem rather than unset: `CLIENT_SECRET=` left empty in .env must not quietly become the demo secret.
 */
function checkEach(env: Record<string, string | undefined>): { given: GivenSettings; problems: string[] } {
  const given: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of Object.keys(settingChecks) as SettingName[]) {
    const value = env[name];
    if (value === undefined) continue;
    if (value.trim() === '') {
      problems.push(`${name}: is empty; give it a value, or remove the line`);
      continue;
    }
    const checked = settingChecks[name].safeParse(value);
    if (checked.success) given[name] = checked.data;
    else problems.push(`${name}: ${checked.error.issues[0]?.message}`);
  }
  return { given: given as GivenSettings, problems };
}

/** The rules between settings, on the values that passed their own check. */
function checkTogether(
  settings: GivenSettings &
    Required<Pick<GivenSettings, 'ISSUER_URL' | 'REDIRECT_URI' | 'POST_LOGOUT_REDIRECT_URI'>>,
  env: Record<string, string | undefined>,
  port: number,
): string[] {
  const problems: string[] = [];
  for (const name of ['ISSUER_URL', 'API_BASE_URL', 'REDIRECT_URI', 'POST_LOGOUT_REDIRECT_URI'] as const) {
    const value = settings[name];
    if (value && new URL(value).protocol === 'http:' && !isLoopback(new URL(value)))
      problems.push(
        `${name}: must use https: codes, tokens and the client secret travel to it (http is for localhost only)`,
      );
  }
  const app = new URL(settings.REDIRECT_URI);
  if (app.origin !== new URL(settings.POST_LOGOUT_REDIRECT_URI).origin)
    problems.push(
      `POST_LOGOUT_REDIRECT_URI: must be on the same origin as REDIRECT_URI (${app.origin}): both are pages of this app`,
    );
  if (settings.PORT && isLoopback(app) && portOf(app) !== port && !settings.TRUST_PROXY)
    problems.push(
      `REDIRECT_URI: names port ${portOf(app)}, but the app listens on PORT=${port}, so the identity server would ` +
        `send the sign-in to whatever runs on port ${portOf(app)}. Remove REDIRECT_URI and POST_LOGOUT_REDIRECT_URI ` +
        `(they then follow PORT: http://localhost:${port}/callback), or set TRUST_PROXY=true when a proxy on port ` +
        `${portOf(app)} forwards to the app`,
    );
  if (
    !settings.SESSION_SECRET &&
    env.SESSION_SECRET === undefined &&
    (settings.REDIS_URL || settings.NODE_ENV === 'production')
  )
    problems.push(
      'SESSION_SECRET: is required in production and with REDIS_URL (every instance must sign cookies alike)',
    );
  return problems;
}
