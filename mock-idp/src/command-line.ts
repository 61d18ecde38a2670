/**
 * The mock's command line: every setting as a flag and as an environment variable (the flag wins), the actions
 * (reset, rotate the key), and --help. Unknown flags, missing values and bad values are each refused with one line,
 * all of them at once.
 */
import { readSettings, flagSettings as settings } from './config.ts';
import { flagAndVariable, flagHelp, readFlags } from './plumbing/flags.ts';
import type { MockIdpOptions } from './server.ts';

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
