/** Runs the kit's commands as a user would, as child processes, and waits for what they print. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of the pattern in the output, or rejects when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process ends by itself. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Set by the test run's global setup: the folder of this run's compiled entries. Unset, entries run through tsx. */
export const compiledEntriesVariable = 'HYBRID_CLIENT_KIT_COMPILED_ENTRIES';

/** The commands the specs start as child processes. */
export const commandEntries = [
  'mock-idp/src/main.ts',
  'native-app/src/main.ts',
  'sample-app/src/main.ts',
  'scripts/start-kit.ts',
  'specs/conformance/cli.ts',
] as const;

export const compiledNameOf = (entry: string) => `${entry.replaceAll('/', '__').replace(/\.ts$/, '')}.mjs`;

/**
 * Node's arguments to run a command entry (a path from the repository's root, where the command starts): its compiled
 * file in a test run that compiled it, else the source through tsx.
 */
export function nodeArgumentsFor(entry: string): string[] {
  const folder = process.env[compiledEntriesVariable];
  if (folder && (commandEntries as readonly string[]).includes(entry))
    return [join(folder, compiledNameOf(entry))];
  return ['--import', 'tsx', entry];
}

/**
 * Starts a TypeScript entry point of this repository as the npm scripts do (through tsx), or from this test run's
 * compiled file (harness/compiled-entries.ts): the same program, started faster.
 */
export function startTypeScript(entry: string, args: string[], env: Record<string, string>): Started {
  return startCommand(process.execPath, [...nodeArgumentsFor(entry), ...args], repositoryRoot, env);
}

/** Runs `npm run <script> [args]` in this repository to its end: its exit code and everything it printed. */
export async function runNpmScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const run = startCommand('npm', ['run', script, ...args], repositoryRoot, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

/** Starts a command in a folder, with the given variables added to this environment. */
export function startCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Started {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // npm start runs the app as a grandchild: a process group lets stop() end them all.
    detached: true,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    exited,
    output: () => text,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!text.match(pattern)) {
            cleanup();
            reject(new Error(`exited with ${code} before ${pattern}; output:\n${text}`));
          }
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      return exited;
    },
  };
}
