/**
 * Browser end-to-end runs in Chromium. Each spec starts the servers it needs on free ports. Chromium is
 * Playwright's own when `npx playwright install chromium` has put it in place, otherwise the system's
 * (Debian's /usr/bin/chromium), or the one PLAYWRIGHT_CHROMIUM_EXECUTABLE names.
 */
import { existsSync } from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';

const systemChromiums = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function chromiumExecutable(): string | undefined {
  const chosen = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE=${chosen} does not exist`);
    return chosen;
  }
  if (existsSync(chromium.executablePath())) return undefined;
  const system = systemChromiums.find((path) => existsSync(path));
  if (system) return system;
  throw new Error(
    'No Chromium for the browser tests: run `npx playwright install chromium`, or install your system Chromium ' +
      '(Debian: `apt-get install chromium`), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.',
  );
}

export default defineConfig({
  testDir: 'specs/e2e',
  testMatch: '**/*.e2e.ts',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 30_000,
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
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
