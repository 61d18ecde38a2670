/**
 * Which Chromium the browser runs use: Playwright's own when `npx playwright install chromium` has put it in place,
 * otherwise the system's (Debian's /usr/bin/chromium), or the one PLAYWRIGHT_CHROMIUM_EXECUTABLE names.
 */
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

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

/** How the browser runs start Chromium here: the executable above, no sandbox (root in CI), no background traffic. */
export const chromiumLaunchOptions = (): LaunchOptions => ({
  executablePath: chromiumExecutable(),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
