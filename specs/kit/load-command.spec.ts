/**
 * `npm run load` keeps working, with one app instance and with two on Redis behind a round-robin balancer: a small
 * run of each here (CI runs it with a thousand users) must take every user through a session with no error, and
 * leave nothing behind.
 */
// vitest: long-running
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../../harness/processes.ts';

let output: string;
beforeAll(async () => {
  output = await mkdtemp(join(tmpdir(), 'load-output-'));
});
afterAll(() => rm(output, { recursive: true, force: true }));

describe('the load command', () => {
  it.each([
    ['one instance', '1', 'load-test.json'],
    ['two instances on Redis behind a round-robin balancer', '2', 'load-test-two-instances.json'],
  ])(
    'npm run load takes every user through a session with no error and nothing lost: %s',
    async (_mode, instances, page) => {
      const run = await runNpmScript('load', {
        BENCH_OUTPUT: output,
        LOAD_USERS: '10',
        LOAD_INSTANCES: instances,
      });
      expect(run.code, run.output).toBe(0);
      const { result, checks } = JSON.parse(await readFile(join(output, page), 'utf8'));
      expect(result).toMatchObject({ users: 10, completedJourneys: 10, errors: [] });
      for (const check of Object.values(checks) as { expected: unknown; found: unknown }[])
        expect(check.found).toEqual(check.expected);
    },
    300_000,
  );
});
