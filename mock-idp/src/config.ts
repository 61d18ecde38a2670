/** The mock identity server's settings, from the environment, checked at start with one message per problem. */
import { z } from 'zod';
import { editionNames } from './domain/editions.ts';
import type { MockIdpOptions } from './server.ts';

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false (or 1 or 0)' })
  .transform((value) => value === 'true' || value === '1');
const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const environment = z.object({
  MOCK_IDP_PORT: wholeNumber(0, 65535).default(4000),
  MOCK_IDP_HOST: z.string().min(1, { error: 'must not be empty' }).default('127.0.0.1'),
  MOCK_IDP_ISSUER: httpUrl.optional(),
  MOCK_IDP_ISSUER_URI: httpUrl.optional(),
  MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS: wholeNumber(60, 10 * 365 * 86_400).optional(),
  MOCK_IDP_DATA_DIR: z.string().min(1, { error: 'must not be empty' }).optional(),
  MOCK_IDP_SEED_FILE: z.string().min(1, { error: 'must not be empty' }).optional(),
  MOCK_IDP_TEST_CONTROLS: flag.default(false),
  MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS: wholeNumber(0, 86_400).default(0),
  MOCK_IDP_AUTHORIZATION_RESPONSE_ISS: flag.default(false),
  MOCK_IDP_HYBRID_REFRESH_TOKENS: flag.default(true),
  MOCK_IDP_REQUIRE_CONSENT: flag.default(false),
  MOCK_IDP_EDITION: z
    .enum(editionNames, { error: `must be ${editionNames.join(' or ')}` })
    .default('data-hub'),
});

/** The environment variables the mock reads. */
export type SettingName = keyof z.input<typeof environment>;

/**
 * The settings, or one line per problem. `nameOf` says how a setting is named in those lines (the command line
 * names its flag too).
 */
export function readSettings(
  env: NodeJS.ProcessEnv,
  nameOf: (variable: string) => string = (variable) => variable,
): { options: MockIdpOptions } | { problems: string[] } {
  const parsed = environment.safeParse(env);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((issue) => `${nameOf(issue.path.join('.'))}: ${issue.message}`),
    };
  const settings = parsed.data;
  return {
    options: {
      port: settings.MOCK_IDP_PORT,
      host: settings.MOCK_IDP_HOST,
      issuer: settings.MOCK_IDP_ISSUER,
      issuerUri: settings.MOCK_IDP_ISSUER_URI,
      refreshTokenLifetimeSeconds: settings.MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS,
      dataDir: settings.MOCK_IDP_DATA_DIR,
      seedFile: settings.MOCK_IDP_SEED_FILE,
      testControls: settings.MOCK_IDP_TEST_CONTROLS,
      clientChangeDelaySeconds: settings.MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS,
      edition: settings.MOCK_IDP_EDITION,
      authorizationResponseIss: settings.MOCK_IDP_AUTHORIZATION_RESPONSE_ISS,
      hybridRefreshTokens: settings.MOCK_IDP_HYBRID_REFRESH_TOKENS,
      requireConsent: settings.MOCK_IDP_REQUIRE_CONSENT,
    },
  };
}

/** The settings from the environment; throws with one line per problem. */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): MockIdpOptions {
  const settings = readSettings(env);
  if ('problems' in settings)
    throw new Error(
      `mock-idp: invalid configuration\n${settings.problems.map((line) => `  ${line}`).join('\n')}`,
    );
  return settings.options;
}
