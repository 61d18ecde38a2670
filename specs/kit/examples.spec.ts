/**
 * The examples of testing your app against the mock (examples/) run as a user runs them, with their own configs:
 * vitest with the mock's globalSetup, Playwright with the mock's fixture. They cannot rot unnoticed.
 */
// vitest: long-running
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../../harness/processes.ts';

describe('the examples', () => {
  it('the vitest example passes: globalSetup, provide/inject, scenarios of two clients side by side', async () => {
    const run = await runNpmScript('examples:vitest', {});
    expect(run.code, run.output).toBe(0);
    expect(stripVTControlCharacters(run.output)).toMatch(/Tests\s+4 passed \(4\)/);
  }, 120_000);

  it('the Playwright example passes: the fixture, signIn through the login page, storageState per user', async () => {
    const run = await runNpmScript('examples:playwright', {});
    expect(run.code, run.output).toBe(0);
    expect(stripVTControlCharacters(run.output)).toMatch(/\b3 passed\b/);
  }, 120_000);
});
