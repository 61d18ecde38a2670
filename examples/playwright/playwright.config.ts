/**
 * Testing your app against the mock with Playwright: each worker starts its own mock (the fixture), and your app
 * beside it. Name your browser as your project does; here the kit's Chromium resolution is used.
 */
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from '../../harness/chromium.ts';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 2,
  timeout: 30_000,
  outputDir: '../../test-results/examples-playwright',
  reporter: [['list']],
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } },
  ],
});
