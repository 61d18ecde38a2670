import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    exclude: ['specs/e2e/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each spec file starts its own servers on free ports, so files can run side by side.
    pool: 'forks',
    reporters: ['default', './specs/conformance/vitest-reporter.ts'],
  },
});
