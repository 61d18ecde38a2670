import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * With CONFORMANCE_ISSUER set, the specs that can run against another server do so: the ones that say so
 * themselves, by taking their server from `useTarget()` (specs/support/target.ts), or, for a spec that needs no
 * server, with the line `// conformance: runs against any target`. The others look inside the bundled mock, and
 * are left out with the reason.
 */
/** Every spec file with its source, read once: the markers below are lines in them. */
const specSources = readdirSync('specs', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.spec.ts'))
  .map((path) => ({ path: join('specs', path), source: readFileSync(join('specs', path), 'utf8') }));
const targetSpecs = specSources
  .filter(
    ({ source }) =>
      source.includes('useTarget()') || source.includes('// conformance: runs against any target'),
  )
  .map(({ path }) => path)
  .sort();
const remote = Boolean(process.env.CONFORMANCE_ISSUER);
if (remote) {
  console.log(
    `CONFORMANCE_ISSUER=${process.env.CONFORMANCE_ISSUER}: running ${targetSpecs.length} spec files against it. ` +
      'The other spec files need the in-process mock (its state, clock or seeded clients) and are not run.',
  );
}

/**
 * Vitest runs first the files that took longest last time, and, with no timings yet (a fresh clone, as in CI), the
 * largest. The spec files that take long whatever their size (they run the fuzz, the load, or wait out timeouts)
 * say so with the line `// vitest: long-running`, as do those that start child processes (the kit's commands, npm,
 * redis-server, a linter), known by the helpers they call. They start first: left to the end, one of them would run
 * alone while the other workers sit idle. `npm run test:quick` leaves them all out (vitest.quick.config.ts).
 */
const startsProcesses =
  /\b(startTypeScript|startCommand|runNpmScript|startMockIdpProcess|nativeAppBench|startRedis|execFile|spawn)\b/;
export const longRunningSpecs = specSources
  .filter(({ source }) => source.includes('\n// vitest: long-running\n') || startsProcesses.test(source))
  .map(({ path }) => path)
  .sort();
const longRunning = new Set(longRunningSpecs.map((path) => resolve(path)));
class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLong = (file: TestSpecification) => longRunning.has(file.moduleId);
    return [...sorted.filter(isLong), ...sorted.filter((file) => !isLong(file))];
  }
}

export default defineConfig({
  test: {
    include: remote ? targetSpecs : ['specs/**/*.spec.ts'],
    // The browser runs are Playwright's; the relying-party plan's specs run after these (vitest.rp.config.ts).
    exclude: ['specs/e2e/**', 'specs/rp/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The commands the specs start, compiled once for the run; against another server no spec starts one.
    globalSetup: remote ? [] : ['specs/support/compiled-entries.setup.ts'],
    // Each spec file starts its own servers on free ports, so files can run side by side.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a two-core machine. A spec file spends much of
    // its time waiting on its servers and child processes, so three files side by side keep two cores busy.
    // Against another server, the spec files share its one clock (time control moves it for everyone) and its
    // sign-in throttles: they run one after another.
    maxWorkers: remote ? 1 : 3,
    sequence: { sequencer: LongRunningFirst },
    // Spec files share nothing but modules (each starts its own servers, stubs and data folders), so the
    // modules are loaded once per worker instead of once per file: about a third off the run.
    isolate: false,
    reporters: ['default', './specs/conformance/vitest-reporter.ts'],
  },
});
