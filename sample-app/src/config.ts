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

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Loopback hosts, the only ones where plain http is acceptable (RFC 9700 §2.6: TLS everywhere else). */
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
const carriesSecrets = ['ISSUER_URL', 'API_BASE_URL', 'REDIRECT_URI', 'POST_LOGOUT_REDIRECT_URI'] as const;
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environment = z
  .object({
    ISSUER_URL: httpUrl.default(mockDefaults.ISSUER_URL),
    EXPECTED_ISSUER: z.url({ error: 'must be the issuer the identity server announces (a URL)' }).optional(),
    CLIENT_ID: z.string().trim().min(1).default(mockDefaults.CLIENT_ID),
    CLIENT_SECRET: z.string().min(1).default(mockDefaults.CLIENT_SECRET),
    TENANT_ID: z.guid('must be the tenant id (a GUID)').default(mockDefaults.TENANT_ID),
    API_BASE_URL: httpUrl.default(mockDefaults.API_BASE_URL),
    REDIRECT_URI: httpUrl.default(mockDefaults.REDIRECT_URI),
    POST_LOGOUT_REDIRECT_URI: httpUrl.default(mockDefaults.POST_LOGOUT_REDIRECT_URI),
    SCOPES: z
      .string()
      .default('openid profile email ocsapi offline_access')
      .refine((value) => value.split(' ').includes('openid'), 'must include openid'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    TRUST_PROXY: flag.default(false),
    REFRESH_BEFORE_EXPIRY_SECONDS: z.coerce.number().int().min(0).max(3000).default(60),
    HTTP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
    SHOW_SIGN_IN_FLOW: flag.optional(),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    for (const name of carriesSecrets) {
      const url = new URL(env[name]);
      if (url.protocol === 'http:' && !isLoopback(url)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'must use https: codes, tokens and the client secret travel to it (http is for localhost only)',
        });
      }
    }
    if (new URL(env.REDIRECT_URI).origin !== new URL(env.POST_LOGOUT_REDIRECT_URI).origin) {
      ctx.addIssue({
        code: 'custom',
        path: ['POST_LOGOUT_REDIRECT_URI'],
        message: 'must be on the same origin as REDIRECT_URI: both are pages of this app',
      });
    }
    if (!env.SESSION_SECRET && (env.REDIS_URL || env.NODE_ENV === 'production')) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'is required in production and with REDIS_URL (every instance must sign cookies alike)',
      });
    }
  });

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
  /**
   * The "How this sign-in worked" page: the steps of the user's own sign-in, refreshes and sign-out, redacted. On
   * by default against a local identity server (the mock) outside production, off otherwise; SHOW_SIGN_IN_FLOW
   * decides.
   */
  showSignInFlow: boolean;
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
  // An empty variable counts as unset, as in most .env conventions.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const settings = parsed.data;
  const warnings: string[] = [];
  if (!settings.SESSION_SECRET) {
    warnings.push('SESSION_SECRET is not set: using a random one, so sessions end when the app restarts');
  }
  const redirect = new URL(settings.REDIRECT_URI);
  return {
    warnings,
    config: {
      issuer: new URL(settings.ISSUER_URL),
      expectedIssuer: settings.EXPECTED_ISSUER,
      clientId: settings.CLIENT_ID,
      clientSecret: settings.CLIENT_SECRET,
      tenantId: settings.TENANT_ID,
      apiBaseUrl: settings.API_BASE_URL.replace(/\/$/, ''),
      redirectUri: settings.REDIRECT_URI,
      postLogoutRedirectUri: settings.POST_LOGOUT_REDIRECT_URI,
      appOrigin: redirect.origin,
      callbackPath: redirect.pathname,
      signedOutPath: new URL(settings.POST_LOGOUT_REDIRECT_URI).pathname,
      scopes: settings.SCOPES,
      sessionSecret: settings.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      secureCookies: redirect.protocol === 'https:',
      port: settings.PORT,
      host: settings.HOST,
      redisUrl: settings.REDIS_URL,
      trustProxy: settings.TRUST_PROXY,
      refreshBeforeExpirySeconds: settings.REFRESH_BEFORE_EXPIRY_SECONDS,
      httpTimeoutSeconds: settings.HTTP_TIMEOUT_SECONDS,
      showSignInFlow:
        settings.SHOW_SIGN_IN_FLOW ??
        (isLoopback(new URL(settings.ISSUER_URL)) && settings.NODE_ENV !== 'production'),
    },
  };
}
