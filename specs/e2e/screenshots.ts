/**
 * Where the browser runs put their pictures: `npm run docs:screenshots` refreshes the documentation's, other runs
 * keep theirs with the test results (SCREENSHOTS_DIR chooses another folder). Read from npm's own variable rather than
 * a `VAR=value` prefix in package.json, which Windows shells do not understand.
 */
import type { Locator, Page } from '@playwright/test';

export const screenshotFolder =
  process.env.SCREENSHOTS_DIR ??
  (process.env.npm_lifecycle_event === 'docs:screenshots' ? 'docs/screenshots' : 'test-results/screenshots');

export const screenshot = (target: Page | Locator, name: string, options: { fullPage?: boolean } = {}) =>
  target.screenshot({ path: `${screenshotFolder}/${name}.png`, ...options });
