/**
 * Browser end-to-end runs in Chromium (harness/chromium.ts finds it). Each spec starts the servers it needs on free
 * ports.
 */
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './harness/chromium.ts';

export default defineConfig({
  testDir: 'specs/e2e',
  testMatch: '**/*.e2e.ts',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 30_000,
  globalSetup: './specs/support/compiled-entries.setup.ts',
  reporter: [
    ['list'],
    ['./specs/conformance/playwright-reporter.ts'],
    // Written on every run (playwright-report/index.html: `npx playwright show-report`), never opened by itself.
    ['html', { open: 'never' }],
  ],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
});
