/**
 * `npm test`'s first step: what the tests need beyond `npm ci`, found before any spec starts. A Chromium: the one
 * PLAYWRIGHT_CHROMIUM_EXECUTABLE names, else Playwright's own, fetched here when the network allows, else the
 * system's. And redis-server. Whatever is missing is named in one line with the command that installs it (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, noChromium } from '../harness/chromium.ts';
import { repositoryRoot } from '../harness/processes.ts';
import { redisServerBinary } from '../harness/redis-server.ts';

/** A failed fetch is not tried again for a day: without a network, each try costs seconds. */
const failedFetchMark = join(
  repositoryRoot,
  'node_modules',
  '.cache',
  'hybrid-client-kit',
  'chromium-fetch-failed',
);
const dayMs = 24 * 60 * 60 * 1000;

function fetchPlaywrightChromium(): boolean {
  if (existsSync(failedFetchMark) && Date.now() - statSync(failedFetchMark).mtimeMs < dayMs) return false;
  console.log("npm test: fetching Playwright's Chromium (npx playwright install chromium)");
  const fetched = spawnSync('npx', ['playwright', 'install', 'chromium'], {
    cwd: repositoryRoot,
    stdio: 'ignore',
    timeout: 10 * 60 * 1000,
    shell: process.platform === 'win32',
  });
  if (fetched.status === 0) return true;
  mkdirSync(join(failedFetchMark, '..'), { recursive: true });
  writeFileSync(failedFetchMark, '');
  return false;
}

function problems(): string[] {
  const found: string[] = [];
  try {
    redisServerBinary();
  } catch (error) {
    found.push((error as Error).message);
  }
  try {
    const chromium = findChromium();
    if (chromium?.kind !== 'named' && chromium?.kind !== 'playwright' && !fetchPlaywrightChromium()) {
      if (chromium)
        console.log(`npm test: Playwright's Chromium could not be fetched; using ${chromium.path}`);
      else found.push(noChromium);
    }
  } catch (error) {
    found.push((error as Error).message);
  }
  return found;
}

const missing = problems();
for (const problem of missing) console.error(`npm test: ${problem}`);
if (missing.length > 0) process.exit(2);
