/**
 * The mock identity server's settings: one table, from which the environment is checked (one message per
 * problem), the command line takes its flags (command-line.ts), and --help names each default, as applied.
 */
import { relative } from 'node:path';
import { z } from 'zod';
import { editionNames } from './domain/editions.ts';
import type { FlagSetting } from './plumbing/flags.ts';
import { defaultRefreshTokenLifetimeSeconds } from './protocol/grants/refresh-families.ts';
import { defaultDataDir, defaultSeedFile, type MockIdpOptions } from './server.ts';

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false (or 1 or 0)' })
  .transform((value) => value === 'true' || value === '1');
const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const path = z.string().min(1, { error: 'must not be empty' });
/** A default that is a path, as the user starting the command would write it. */
const shownPath = (absolute: string) => relative(process.cwd(), absolute) || '.';

interface Setting extends Omit<FlagSetting, 'variable' | 'defaultValue'> {
  check: z.ZodType;
  /** The value taken when neither the flag nor the variable is given: applied, and shown by --help. */
  defaultValue?: string;
  /** What --help says of a default that is not one fixed value. */
  shownDefault?: string;
}

export const settings = {
  MOCK_IDP_PORT: {
    flag: 'port',
    value: '<n>',
    defaultValue: '4000',
    meaning: '0 picks a free port',
    check: wholeNumber(0, 65535),
  },
  MOCK_IDP_HOST: {
    flag: 'host',
    value: '<address>',
    defaultValue: '127.0.0.1',
    meaning: 'the address to listen on',
    check: z.string().min(1, { error: 'must not be empty' }),
  },
  MOCK_IDP_ISSUER: {
    flag: 'issuer',
    value: '<url>',
    shownDefault: 'http://{host}:{port}/identity',
    meaning: 'the authority URL, when the mock is reached through another address (a proxy)',
    check: httpUrl,
  },
  MOCK_IDP_ISSUER_URI: {
    flag: 'issuer-uri',
    value: '<url>',
    shownDefault: 'the authority URL',
    meaning: "an issuer to announce and sign with that is not the URL (IdentityServer's IssuerUri)",
    check: httpUrl,
  },
  MOCK_IDP_SEED_FILE: {
    flag: 'seed',
    value: '<file>',
    shownDefault: shownPath(defaultSeedFile),
    meaning: 'what a fresh state starts with',
    check: path,
  },
  MOCK_IDP_DATA_DIR: {
    flag: 'data-dir',
    value: '<folder>',
    shownDefault: shownPath(defaultDataDir),
    meaning: 'where state and keys are kept',
    check: path,
  },
  MOCK_IDP_TEST_CONTROLS: {
    flag: 'test-controls',
    value: '',
    defaultValue: 'false',
    meaning: 'expose /__mock__: scenarios, users, client lifecycle, the request log, the clock, key rotation',
    check: flag,
  },
  MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS: {
    flag: 'client-change-delay',
    value: '<seconds>',
    defaultValue: '0',
    meaning: 'how long client changes take to reach sign-in (Data Hub: up to an hour)',
    check: wholeNumber(0, 86_400),
  },
  MOCK_IDP_EDITION: {
    flag: 'edition',
    value: '<data-hub|ocs>',
    defaultValue: 'data-hub',
    meaning: 'which edition of "Get started with hybrid clients" the portal follows',
    check: z.enum(editionNames, { error: `must be ${editionNames.join(' or ')}` }),
  },
  MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS: {
    flag: 'refresh-token-lifetime',
    value: '<seconds>',
    shownDefault: `${defaultRefreshTokenLifetimeSeconds} (IdentityServer4's ${defaultRefreshTokenLifetimeSeconds / 86_400} days)`,
    meaning: 'absolute lifetime of a refresh-token family (an AVEVA sample says up to 28800)',
    check: wholeNumber(60, 10 * 365 * 86_400),
  },
  MOCK_IDP_AUTHORIZATION_RESPONSE_ISS: {
    flag: 'authorization-response-iss',
    value: '',
    defaultValue: 'false',
    meaning:
      'send iss with every authorization response and announce it (RFC 9207); IdentityServer4 does not',
    check: flag,
  },
  MOCK_IDP_HYBRID_REFRESH_TOKENS: {
    flag: 'hybrid-refresh-tokens',
    value: '<true|false>',
    defaultValue: 'true',
    meaning: 'false: no refresh token for hybrid clients ("not supported", the HybridClients reference says)',
    check: flag,
  },
  MOCK_IDP_REQUIRE_CONSENT: {
    flag: 'require-consent',
    value: '',
    defaultValue: 'false',
    meaning: "ask the user's consent on a client's first sign-in (IdentityServer's RequireConsent)",
    check: flag,
  },
  MOCK_IDP_FSYNC: {
    flag: 'fsync',
    value: '',
    defaultValue: 'false',
    meaning:
      'flush each change to the disk before answering (survives a power loss; a crash is survived either way)',
    check: flag,
  },
} satisfies Record<string, Setting>;

/** The environment variables the mock reads. */
export type SettingName = keyof typeof settings;
type Settings = { [Name in SettingName]: z.output<(typeof settings)[Name]['check']> | undefined };

/** The table as the command line's flags, each with the default --help shows. */
export const flagSettings: FlagSetting[] = Object.entries(settings).map(
  ([variable, setting]: [string, Setting]) => ({
    flag: setting.flag,
    variable,
    value: setting.value,
    meaning: setting.meaning,
    defaultValue: setting.defaultValue ?? setting.shownDefault,
  }),
);

/**
 * The settings, or one line per problem. `nameOf` says how a setting is named in those lines (the command line
 * names its flag too).
 */
export function readSettings(
  env: NodeJS.ProcessEnv,
  nameOf: (variable: string) => string = (variable) => variable,
): { options: MockIdpOptions } | { problems: string[] } {
  const problems: string[] = [];
  const read: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings) as [SettingName, Setting][]) {
    const value = env[name] ?? setting.defaultValue;
    if (value === undefined) continue;
    const checked = setting.check.safeParse(value);
    if (checked.success) read[name] = checked.data;
    else problems.push(`${nameOf(name)}: ${checked.error.issues[0]?.message}`);
  }
  if (problems.length > 0) return { problems };
  const given = read as Settings;
  return {
    options: {
      port: given.MOCK_IDP_PORT,
      host: given.MOCK_IDP_HOST,
      issuer: given.MOCK_IDP_ISSUER,
      issuerUri: given.MOCK_IDP_ISSUER_URI,
      refreshTokenLifetimeSeconds: given.MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS,
      dataDir: given.MOCK_IDP_DATA_DIR,
      seedFile: given.MOCK_IDP_SEED_FILE,
      testControls: given.MOCK_IDP_TEST_CONTROLS,
      clientChangeDelaySeconds: given.MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS,
      edition: given.MOCK_IDP_EDITION,
      authorizationResponseIss: given.MOCK_IDP_AUTHORIZATION_RESPONSE_ISS,
      hybridRefreshTokens: given.MOCK_IDP_HYBRID_REFRESH_TOKENS,
      requireConsent: given.MOCK_IDP_REQUIRE_CONSENT,
      syncToDisk: given.MOCK_IDP_FSYNC,
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
