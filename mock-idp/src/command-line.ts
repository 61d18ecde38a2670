/**
 * The mock's command line: every setting as a flag and as an environment variable (the flag wins), the actions
 * (reset, rotate the key), and --help. Unknown flags, missing values and bad values are each refused with one line,
 * all of them at once.
 */
import { parseArgs } from 'node:util';
import { readSettings, type SettingName } from './config.ts';
import type { MockIdpOptions } from './server.ts';

interface Setting {
  flag: string;
  variable: SettingName;
  value: string;
  defaultValue: string;
  meaning: string;
}

const settings: Setting[] = [
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
    meaning: 'expose /__mock__: move the clock, rotate the signing key, read the memory',
  },
  {
    flag: 'client-change-delay',
    variable: 'MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS',
    value: '<seconds>',
    defaultValue: '0',
    meaning: 'how long client changes take to reach sign-in (Data Hub: up to an hour)',
  },
  {
    flag: 'refresh-token-lifetime',
    variable: 'MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS',
    value: '<seconds>',
    defaultValue: '2592000',
    meaning: 'absolute lifetime of a refresh-token family (AVEVA documents up to 28800)',
  },
];

const actions = {
  reset: 'forget the saved state and keys before starting (the seed applies again)',
  'reset-only': 'forget the saved state and keys, and do not start',
  'rotate-key': 'start signing with a new key (the previous ones stay published)',
  help: 'print this help and do not start',
} as const;
type Action = keyof typeof actions;

export type CommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'problems'; lines: string[] }
  | { kind: 'run'; options: MockIdpOptions; actions: Set<Exclude<Action, 'help'>> };

export function helpText(program: string): string {
  const entry = (flag: string, value: string, meaning: string) =>
    `  --${flag}${value ? ` ${value}` : ''}\n      ${meaning}`;
  return [
    `Usage: ${program} [options]`,
    '',
    'The mock AVEVA Data Hub identity server for hybrid clients. Each setting is a flag or an environment',
    'variable; the flag wins.',
    '',
    ...settings.map((setting) =>
      entry(
        setting.flag,
        setting.value,
        `${setting.variable}, default ${setting.defaultValue}: ${setting.meaning}`,
      ),
    ),
    '',
    ...Object.entries(actions).map(([flag, meaning]) => entry(flag, '', meaning)),
  ].join('\n');
}

export function readCommandLine(args: string[], env: NodeJS.ProcessEnv, program: string): CommandLine {
  const { values, tokens } = parseArgs({
    args,
    strict: false,
    tokens: true,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(
        settings.map((setting) => [setting.flag, { type: setting.value ? 'string' : 'boolean' } as const]),
      ),
      ...Object.fromEntries(Object.keys(actions).map((flag) => [flag, { type: 'boolean' } as const])),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const problems: string[] = [];
  const known = new Set([...settings.map((setting) => setting.flag), ...Object.keys(actions)]);
  for (const token of tokens) {
    if (token.kind === 'positional') problems.push(`unexpected argument "${token.value}" (see --help)`);
    if (token.kind !== 'option') continue;
    const setting = settings.find((candidate) => candidate.flag === token.name);
    if (!known.has(token.name)) problems.push(`unknown option ${token.rawName} (see --help)`);
    // parseArgs takes the next argument as the value even when it is another flag (`--seed --port 1`).
    else if (
      setting?.value &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
    )
      problems.push(`${token.rawName} needs a value: ${token.rawName} ${setting.value}`);
    else if (!setting?.value && token.value !== undefined) problems.push(`${token.rawName} takes no value`);
  }
  if (values.help && problems.length === 0) return { kind: 'help', text: helpText(program) };

  const fromFlags = Object.fromEntries(
    settings
      .filter((setting) => typeof values[setting.flag] === (setting.value ? 'string' : 'boolean'))
      .map((setting) => [setting.variable, setting.value ? String(values[setting.flag]) : 'true']),
  );
  const flagOf = (variable: string) => settings.find((setting) => setting.variable === variable)?.flag;
  const configured = readSettings({ ...env, ...fromFlags }, (variable) => {
    const flag = flagOf(variable);
    return flag ? `--${flag} / ${variable}` : variable;
  });
  problems.push(...('problems' in configured ? configured.problems : []));
  if (problems.length > 0 || 'problems' in configured) return { kind: 'problems', lines: problems };
  const chosen = new Set(
    (Object.keys(actions) as Action[]).filter(
      (action): action is Exclude<Action, 'help'> => action !== 'help' && values[action] === true,
    ),
  );
  return { kind: 'run', options: configured.options, actions: chosen };
}
