/**
 * The mock's command line: every setting as a flag and as an environment variable (the flag wins), the actions
 * (reset, rotate the key), and --help. Unknown flags, missing values and bad values are each refused with one line,
 * all of them at once.
 */
import { readSettings, type SettingName } from './config.ts';
import { type FlagSetting, flagAndVariable, flagHelp, readFlags } from './plumbing/flags.ts';
import type { MockIdpOptions } from './server.ts';

const settings: (FlagSetting & { variable: SettingName })[] = [
  {
    flag: 'port',
    variable: 'MOCK_IDP_PORT',
    value: '<n>',
    defaultValue: '4000',
    meaning: '0 picks a free port',
  },
  {
    flag: 'host',
    variable: 'MOCK_IDP_HOST',
    value: '<address>',
    defaultValue: '127.0.0.1',
    meaning: 'the address to listen on',
  },
  {
    flag: 'issuer',
    variable: 'MOCK_IDP_ISSUER',
    value: '<url>',
    defaultValue: 'http://{host}:{port}/identity',
    meaning: 'the authority URL, when the mock is reached through another address (a proxy)',
  },
  {
    flag: 'issuer-uri',
    variable: 'MOCK_IDP_ISSUER_URI',
    value: '<url>',
    defaultValue: 'the authority URL',
    meaning: "an issuer to announce and sign with that is not the URL (IdentityServer's IssuerUri)",
  },
  {
    flag: 'seed',
    variable: 'MOCK_IDP_SEED_FILE',
    value: '<file>',
    defaultValue: 'mock-idp/seed.json',
    meaning: 'what a fresh state starts with',
  },
  {
    flag: 'data-dir',
    variable: 'MOCK_IDP_DATA_DIR',
    value: '<folder>',
    defaultValue: 'mock-idp/.data',
    meaning: 'where state and keys are kept',
  },
  {
    flag: 'test-controls',
    variable: 'MOCK_IDP_TEST_CONTROLS',
    value: '',
    defaultValue: 'off',
    meaning: 'expose /__mock__: scenarios, users, client lifecycle, the request log, the clock, key rotation',
  },
  {
    flag: 'client-change-delay',
    variable: 'MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS',
    value: '<seconds>',
    defaultValue: '0',
    meaning: 'how long client changes take to reach sign-in (Data Hub: up to an hour)',
  },
  {
    flag: 'edition',
    variable: 'MOCK_IDP_EDITION',
    value: '<data-hub|ocs>',
    defaultValue: 'data-hub',
    meaning: 'which edition of "Get started with hybrid clients" the portal follows',
  },
  {
    flag: 'refresh-token-lifetime',
    variable: 'MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS',
    value: '<seconds>',
    defaultValue: '2592000',
    meaning: 'absolute lifetime of a refresh-token family (an AVEVA sample says up to 28800)',
  },
  {
    flag: 'authorization-response-iss',
    variable: 'MOCK_IDP_AUTHORIZATION_RESPONSE_ISS',
    value: '',
    defaultValue: 'off',
    meaning:
      'send iss with every authorization response and announce it (RFC 9207); IdentityServer4 does not',
  },
  {
    flag: 'hybrid-refresh-tokens',
    variable: 'MOCK_IDP_HYBRID_REFRESH_TOKENS',
    value: '<true|false>',
    defaultValue: 'true',
    meaning: 'false: no refresh token for hybrid clients ("not supported", the HybridClients reference says)',
  },
  {
    flag: 'require-consent',
    variable: 'MOCK_IDP_REQUIRE_CONSENT',
    value: '',
    defaultValue: 'off',
    meaning: "ask the user's consent on a client's first sign-in (IdentityServer's RequireConsent)",
  },
];

const actions = {
  reset: 'forget the saved state and keys before starting (the seed applies again)',
  'reset-only': 'forget the saved state and keys, and do not start',
  'rotate-key': 'start signing with a new key (the previous ones stay published)',
};
type Action = keyof typeof actions;

export type CommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'problems'; lines: string[] }
  | { kind: 'run'; options: MockIdpOptions; actions: Set<Action> };

export const helpText = (program: string): string =>
  flagHelp(
    `${program} [options]`,
    [
      'The mock AVEVA Data Hub identity server for hybrid clients. Each setting is a flag or an environment',
      'variable; the flag wins.',
    ],
    settings,
    actions,
  );

export function readCommandLine(args: string[], env: NodeJS.ProcessEnv, program: string): CommandLine {
  const flags = readFlags(args, env, settings, actions);
  if (flags.help && flags.problems.length === 0) return { kind: 'help', text: helpText(program) };
  const configured = readSettings(flags.env, flagAndVariable(settings));
  const problems = [...flags.problems, ...('problems' in configured ? configured.problems : [])];
  if (problems.length > 0 || 'problems' in configured) return { kind: 'problems', lines: problems };
  return { kind: 'run', options: configured.options, actions: flags.actions as Set<Action> };
}
