/**
 * A real redis-server for the specs that need one, on a free port, without persistence. It must be installed
 * (Debian: `apt-get install redis-server`; .ci/run does it): a missing server fails loudly, never skips.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.ts';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export function redisServerBinary(): string {
  const named = process.env.REDIS_SERVER_BINARY;
  if (named && !existsSync(named)) throw new Error(`REDIS_SERVER_BINARY=${named} does not exist`);
  const candidates = [
    named,
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
    '/opt/homebrew/bin/redis-server',
  ];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) {
    throw new Error(
      'redis-server is needed for the Redis session specs and was not found. Install it (Debian: ' +
        '`apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_SERVER_BINARY.',
    );
  }
  return found;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn(
    redisServerBinary(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
