/**
 * The relying-party plan's own specs (specs/rp/): each drives Chromium through the whole plan for minutes, so they run
 * after the other specs (npm run test:rp, part of npm test) rather than beside them, where they would take the CPU
 * the timing-sensitive specs need. They name no catalogue rule, so the conformance report is not theirs to write.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/rp/**/*.spec.ts'],
    testTimeout: 20_000,
    globalSetup: ['specs/support/compiled-entries.setup.ts'],
    hookTimeout: 400_000,
    pool: 'forks',
    // One file at a time: side by side on two cores, each took more than twice as long as alone (the plan spec 356 s
    // against 145 s, the mutants spec 383 s against 186 s; 6 min 27 s together against about 5 min 30 s in turn).
    maxWorkers: 1,
  },
});
