/**
 * `npm run test:quick`, for the loop while editing: the spec files that run in process and briefly, leaving out
 * the long-running ones (child processes, Redis, installs, the fuzz, the load, timeouts waited out; see
 * vitest.config.ts). `npm test` runs them all.
 */
import { defineConfig } from 'vitest/config';
import base, { longRunningSpecs } from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...(base.test?.exclude ?? []), ...longRunningSpecs],
    // Nothing here starts a command: no entries to compile.
    globalSetup: [],
    // In process, the specs keep the CPU busy: one worker per core (measured: 18-21 s, against 23-30 s with three).
    maxWorkers: 2,
  },
});
