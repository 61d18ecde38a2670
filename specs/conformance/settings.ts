/** How both modes of the conformance command read their settings. */
import { readFile } from 'node:fs/promises';
import { type FlagSetting, readFlags } from '../../mock-idp/src/plumbing/flags.ts';

/**
 * Flags, a --config JSON file (keyed by flag name) and the environment, laid over one another (flags over file over
 * environment); one line per problem. The OP mode and the RP mode read theirs alike.
 */
export async function readSettings(
  args: string[],
  env: Record<string, string | undefined>,
  known: readonly FlagSetting[],
  requiredSettings: readonly FlagSetting[],
): Promise<{ help: true } | { env: Record<string, string | undefined>; problems: string[] }> {
  const first = readFlags(args, env, known, {});
  if (first.help && first.problems.length === 0) return { help: true };
  const problems = [...first.problems];
  let fromFile: Record<string, string> = {};
  const configSetting = known.find((setting) => setting.flag === 'config');
  const configPath = configSetting ? first.env[configSetting.variable] : undefined;
  if (configPath) {
    try {
      const file = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(file)) {
        const setting = known.find((candidate) => candidate.flag === key && key !== 'config');
        if (!setting) problems.push(`${configPath}: unknown key "${key}" (the keys are the flag names)`);
        else if (typeof value !== 'string' && typeof value !== 'boolean')
          problems.push(`${configPath}: "${key}" must be a string${setting.value ? '' : ' or a boolean'}`);
        else fromFile[setting.variable] = String(value);
      }
    } catch (error) {
      problems.push(`--config ${configPath}: ${(error as Error).message}`);
      fromFile = {};
    }
  }
  const merged = { ...env, ...fromFile, ...first.fromFlags };
  for (const setting of requiredSettings)
    if (!merged[setting.variable]) problems.push(`--${setting.flag} (or ${setting.variable}) is required`);
  return { env: merged, problems };
}
