/**
 * Command lines whose settings are also environment variables: each flag names its variable, a flag wins over the
 * variable, and every unknown flag, missing value, value given to a switch and stray argument is one line of
 * problems, all reported together.
 */
import { parseArgs } from 'node:util';

export interface FlagSetting {
  flag: string;
  variable: string;
  /** How the value is shown in help (`<n>`); empty for a switch, which sets its variable to `true`. */
  value: string;
  defaultValue?: string;
  meaning: string;
}

export interface ReadFlags {
  /** The environment with the flags' values laid over it. */
  env: Record<string, string | undefined>;
  /** The flags' values alone, by variable. */
  fromFlags: Record<string, string>;
  /** The actions (switches without a variable) that were given. */
  actions: Set<string>;
  help: boolean;
  problems: string[];
}

export function readFlags(
  args: string[],
  env: Record<string, string | undefined>,
  settings: readonly FlagSetting[],
  actions: Readonly<Record<string, string>>,
): ReadFlags {
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
  const known = new Set([...settings.map((setting) => setting.flag), ...Object.keys(actions), 'help']);
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
  const fromFlags = Object.fromEntries(
    settings
      .filter((setting) => typeof values[setting.flag] === (setting.value ? 'string' : 'boolean'))
      .map((setting) => [setting.variable, setting.value ? String(values[setting.flag]) : 'true']),
  );
  return {
    env: { ...env, ...fromFlags },
    fromFlags,
    actions: new Set(Object.keys(actions).filter((action) => values[action] === true)),
    help: values.help === true,
    problems,
  };
}

/** Names a setting in a problem line by its flag and its variable. */
export const flagAndVariable =
  (settings: readonly FlagSetting[]) =>
  (variable: string): string => {
    const flag = settings.find((setting) => setting.variable === variable)?.flag;
    return flag ? `--${flag} / ${variable}` : variable;
  };

export function flagHelp(
  usage: string,
  intro: string[],
  settings: readonly FlagSetting[],
  actions: Readonly<Record<string, string>>,
): string {
  const entry = (flag: string, value: string, meaning: string) =>
    `  --${flag}${value ? ` ${value}` : ''}\n      ${meaning}`;
  return [
    `Usage: ${usage}`,
    '',
    ...intro,
    '',
    ...settings.map((setting) =>
      entry(
        setting.flag,
        setting.value,
        `${setting.variable}${setting.defaultValue ? `, default ${setting.defaultValue}` : ''}: ${setting.meaning}`,
      ),
    ),
    '',
    ...Object.entries(actions).map(([flag, meaning]) => entry(flag, '', meaning)),
    entry('help', '', 'print this help, and do nothing else'),
  ].join('\n');
}
