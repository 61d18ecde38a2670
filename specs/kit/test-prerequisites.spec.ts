/**
 * `npm test` needs no step the README does not show: its first step finds a Chromium and redis-server before any
 * spec starts, and names what is missing in one line each, with the command that installs it (exit 2). Its npm
 * scripts run in any shell, Windows' included: no `VAR=value` prefix.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../../harness/chromium.ts';
import { repositoryRoot, startTypeScript } from '../../harness/processes.ts';
import { redisServerBinary } from '../../harness/redis-server.ts';

const prerequisites = (env: Record<string, string>) =>
  startTypeScript('scripts/test-prerequisites.ts', [], env);

describe("npm test's first step", () => {
  it('names each missing prerequisite in one line, and stops before any spec', async () => {
    const check = prerequisites({
      REDIS_SERVER_BINARY: '/no/redis-server',
      PLAYWRIGHT_CHROMIUM_EXECUTABLE: '/no/chromium',
    });
    expect(await check.exited).toBe(2);
    expect(check.output().trim().split('\n')).toEqual([
      'npm test: REDIS_SERVER_BINARY=/no/redis-server does not exist',
      'npm test: PLAYWRIGHT_CHROMIUM_EXECUTABLE=/no/chromium does not exist',
    ]);
  });

  it('passes quietly when both are there', async () => {
    const chromium = findChromium();
    const check = prerequisites({
      REDIS_SERVER_BINARY: redisServerBinary(),
      ...(chromium && chromium.kind !== 'playwright' && { PLAYWRIGHT_CHROMIUM_EXECUTABLE: chromium.path }),
    });
    expect(await check.exited).toBe(0);
    expect(check.output()).toBe('');
  });

  it('comes first in npm test, and no npm script needs a POSIX shell', async () => {
    const { scripts } = JSON.parse(await readFile(join(repositoryRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.test).toMatch(/^node --import tsx scripts\/test-prerequisites\.ts && /);
    expect(Object.entries(scripts).filter(([, command]) => /(^|&& )[A-Z_]+=\S* /.test(command))).toEqual([]);
  });
});
