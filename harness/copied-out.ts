/**
 * A starter folder (sample-app/, native-app/) copied out of this repository on its own, as a user copies it:
 * without node_modules and .env, installed from its own lockfile (`npm ci` fails if it no longer matches its
 * package.json), with a .env written next to its package.json.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from './processes.ts';

export const run = promisify(execFile);

export interface CopiedOut {
  folder: string;
  writeEnv(settings: Record<string, string>): Promise<void>;
  remove(): Promise<void>;
}

/** Copies a starter folder into `destination` as a user copies it: without node_modules and .env. */
export const copyStarter = (starter: string, destination: string) =>
  cp(join(repositoryRoot, starter), destination, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.env)$/.test(source),
  });

export async function copyOutAndInstall(starter: string): Promise<CopiedOut> {
  const folder = await mkdtemp(join(tmpdir(), `${starter}-copy-`));
  await copyStarter(starter, folder);
  await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: folder, timeout: 150_000 });
  return {
    folder,
    writeEnv: (settings) =>
      writeFile(
        join(folder, '.env'),
        Object.entries(settings)
          .map(([name, value]) => `${name}=${value}`)
          .join('\n'),
      ),
    remove: () => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }),
  };
}
