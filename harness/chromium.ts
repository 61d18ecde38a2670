/**
 * Which Chromium the browser runs use: Playwright's own when `npx playwright install chromium` has put it in place,
 * otherwise the system's (Debian's /usr/bin/chromium), or the one PLAYWRIGHT_CHROMIUM_EXECUTABLE names.
 */
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

const systemChromiums = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const noChromium =
  'No Chromium for the browser tests: run `npx playwright install chromium`, or install your system Chromium ' +
  '(Debian: `apt-get install chromium`), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.';

/** The Chromium found: the one named, Playwright's own, the system's, or none. */
export function findChromium(): { kind: 'named' | 'system'; path: string } | { kind: 'playwright' } | null {
  const named = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (named) {
    if (!existsSync(named)) throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE=${named} does not exist`);
    return { kind: 'named', path: named };
  }
  if (existsSync(chromium.executablePath())) return { kind: 'playwright' };
  const system = systemChromiums.find((path) => existsSync(path));
  return system ? { kind: 'system', path: system } : null;
}

function chromiumExecutable(): string | undefined {
  const found = findChromium();
  if (!found) throw new Error(noChromium);
  return found.kind === 'playwright' ? undefined : found.path;
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
