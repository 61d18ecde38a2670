/**
 * The native app's settings, from the environment (and a .env file next to package.json, see main.ts), checked
 * once with one line per problem. With no settings, it signs in at the bundled mock with its native demo client.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** The mock identity server's seeded native demo client (mock-idp/seed.json). */
export const mockDefaults = {
  ISSUER_URL: 'http://127.0.0.1:4000/identity',
  CLIENT_ID: '5b9e2f4a-1c7d-4e8b-9a3f-6d2c1e0b8a74',
  CLIENT_SECRET: 'native-app-secret-for-local-use-only',
  TENANT_ID: '3f2c8b4e-6a1d-4c9e-9b7a-2d5e8f1a0c34',
  API_BASE_URL: 'http://127.0.0.1:4000',
  // AVEVA's .NET sample uses this address: the identity server matches redirect URIs exactly, port included, so
  // a native app listens on one fixed, registered port rather than a random one.
  REDIRECT_URI: 'http://127.0.0.1:54567/signin-oidc',
  POST_LOGOUT_REDIRECT_URI: 'http://127.0.0.1:54567/signout-callback-oidc',
} as const;

/** RFC 8252 §7.3: the loopback IP literal, never `localhost` (which a resolver or firewall may send elsewhere). */
const loopbackUrl = z
  .url({ protocol: /^http$/, error: 'must be an http:// URL' })
  .refine(
    (value) => new URL(value).hostname === '127.0.0.1' && new URL(value).port !== '',
    'must be http://127.0.0.1:{port}/{path}: the loopback address with a fixed port, as registered for the client',
  );

const environment = z
  .object({
    ISSUER_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .default(mockDefaults.ISSUER_URL),
    EXPECTED_ISSUER: z.url({ error: 'must be the issuer the identity server announces (a URL)' }).optional(),
    CLIENT_ID: z.string().trim().min(1).default(mockDefaults.CLIENT_ID),
    CLIENT_SECRET: z.string().min(1).default(mockDefaults.CLIENT_SECRET),
    TENANT_ID: z.guid('must be the tenant id (a GUID)').default(mockDefaults.TENANT_ID),
    API_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .default(mockDefaults.API_BASE_URL),
    REDIRECT_URI: loopbackUrl.default(mockDefaults.REDIRECT_URI),
    POST_LOGOUT_REDIRECT_URI: loopbackUrl.default(mockDefaults.POST_LOGOUT_REDIRECT_URI),
    SCOPES: z
      .string()
      .default('openid profile email ocsapi offline_access')
      .refine((value) => value.split(' ').includes('openid'), 'must include openid'),
    SIGN_IN_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
    TOKEN_FILE: z
      .string()
      .min(1)
      .default(join(homedir(), '.hybrid-client-native-app', 'sign-in.json')),
  })
  .superRefine((env, ctx) => {
    if (new URL(env.REDIRECT_URI).port !== new URL(env.POST_LOGOUT_REDIRECT_URI).port)
      ctx.addIssue({
        code: 'custom',
        path: ['POST_LOGOUT_REDIRECT_URI'],
        message: 'must use the same port as REDIRECT_URI: the app listens on one port',
      });
  });

export interface NativeAppConfig {
  issuer: URL;
  expectedIssuer: string | undefined;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  apiBaseUrl: string;
  redirectUri: URL;
  postLogoutRedirectUri: URL;
  scopes: string;
  signInTimeoutSeconds: number;
  /** Where --keep keeps the refresh token between runs (owner-only). */
  tokenFile: string;
}

export class ConfigError extends Error {}

/** The settings a user must give when the app signs in anywhere but a local mock: the demo ones are the mock's. */
const ownValues = ['CLIENT_ID', 'CLIENT_SECRET', 'TENANT_ID', 'API_BASE_URL'] as const;

export function loadConfig(env: Record<string, string | undefined>): NativeAppConfig {
  const names = Object.keys(environment.shape);
  // A line left blank (CLIENT_SECRET=) is a mistake, never a request for the demo value.
  const blank = names.filter((name) => env[name] !== undefined && env[name]?.trim() === '');
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => value !== undefined && !blank.includes(name)),
  );
  // Beside `npm start` on moved ports, MOCK_IDP_PORT says where the kit's mock is, as it does for the kit.
  const mockPort = present.MOCK_IDP_PORT;
  const besideTheKit = mockPort
    ? { ISSUER_URL: `http://127.0.0.1:${mockPort}/identity`, API_BASE_URL: `http://127.0.0.1:${mockPort}` }
    : {};
  const parsed = environment.safeParse({ ...besideTheKit, ...present });
  const issuer = parsed.data?.ISSUER_URL ?? present.ISSUER_URL ?? mockDefaults.ISSUER_URL;
  const atLocalMock =
    URL.canParse(issuer) && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(issuer).hostname);
  const problems = [
    ...blank.map((name) => `${name}: is empty; give it a value, or remove the line`),
    ...(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []),
    ...ownValues
      .filter((name) => !atLocalMock && !blank.includes(name))
      .flatMap((name) =>
        present[name] === undefined
          ? [`${name}: must be set when ISSUER_URL is not a local mock (the demo value is the mock's)`]
          : present[name] === mockDefaults[name]
            ? [`${name}: is the local mock's demo value, which ${issuer} does not know`]
            : [],
      ),
  ];
  if (problems.length > 0 || !parsed.success)
    throw new ConfigError(
      `The native app's configuration has problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  const settings = parsed.data;
  return {
    issuer: new URL(settings.ISSUER_URL),
    expectedIssuer: settings.EXPECTED_ISSUER,
    clientId: settings.CLIENT_ID,
    clientSecret: settings.CLIENT_SECRET,
    tenantId: settings.TENANT_ID,
    apiBaseUrl: settings.API_BASE_URL.replace(/\/$/, ''),
    redirectUri: new URL(settings.REDIRECT_URI),
    postLogoutRedirectUri: new URL(settings.POST_LOGOUT_REDIRECT_URI),
    scopes: settings.SCOPES,
    signInTimeoutSeconds: settings.SIGN_IN_TIMEOUT_SECONDS,
    tokenFile: settings.TOKEN_FILE,
  };
}
