/**
 * `npm run conformance -- --issuer … --client-id …`: the conformance suite against any identity server (a
 * separately started mock, a Data Hub tenant, another OpenID provider). The settings are the CONFORMANCE_*
 * variables of specs/support/target.ts, as flags, or from a JSON file (--config: its keys are the flag names); a
 * flag wins over the file, the file over the environment. A pre-flight checks the settings against the server
 * first (preflight.ts: one line and exit 2 for the first wrong one); then it runs the spec files that can run
 * against another server, prints what it skipped and why, writes the report as Markdown, HTML and JUnit XML, and exits 0 only when
 * no spec failed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import { type FlagSetting, flagHelp } from '../../mock-idp/src/plumbing/flags.ts';
import { opPreflight, PreflightFailed } from './preflight.ts';
import { readSettings } from './settings.ts';

const settings: FlagSetting[] = [
  { flag: 'issuer', variable: 'CONFORMANCE_ISSUER', value: '<url>', meaning: 'the issuer (required)' },
  {
    flag: 'client-id',
    variable: 'CONFORMANCE_CLIENT_ID',
    value: '<id>',
    meaning: 'a hybrid client with Allow Refresh Token (required)',
  },
  {
    flag: 'client-secret',
    variable: 'CONFORMANCE_CLIENT_SECRET',
    value: '<secret>',
    meaning: 'its secret (required)',
  },
  {
    flag: 'redirect-uri',
    variable: 'CONFORMANCE_REDIRECT_URI',
    value: '<url>',
    meaning: 'one of its redirect URLs (required; never called)',
  },
  {
    flag: 'post-logout-redirect-uri',
    variable: 'CONFORMANCE_POST_LOGOUT_REDIRECT_URI',
    value: '<url>',
    meaning: 'one of its logout redirect URLs (required)',
  },
  { flag: 'tenant-id', variable: 'CONFORMANCE_TENANT_ID', value: '<id>', meaning: 'its tenant (required)' },
  {
    flag: 'api-base-url',
    variable: 'CONFORMANCE_API_BASE_URL',
    value: '<url>',
    defaultValue: "the issuer's origin",
    meaning: 'where /api/v1 answers',
  },
  {
    flag: 'user-email',
    variable: 'CONFORMANCE_USER_EMAIL',
    value: '<email>',
    meaning: 'a user the suite signs in with ("test user")',
  },
  {
    flag: 'user-password',
    variable: 'CONFORMANCE_USER_PASSWORD',
    value: '<password>',
    meaning: "that user's password",
  },
  {
    flag: 'admin-client-id',
    variable: 'CONFORMANCE_ADMIN_CLIENT_ID',
    value: '<id>',
    meaning: 'a client-credentials client with Tenant Administrator and Tenant Member ("admin API")',
  },
  {
    flag: 'admin-client-secret',
    variable: 'CONFORMANCE_ADMIN_CLIENT_SECRET',
    value: '<secret>',
    meaning: 'its secret',
  },
  {
    flag: 'time-control',
    variable: 'CONFORMANCE_TIME_CONTROL',
    value: '',
    meaning: "the target serves the mock's /__mock__/clock",
  },
  {
    flag: 'report-dir',
    variable: 'CONFORMANCE_REPORT_DIR',
    value: '<folder>',
    defaultValue: 'reports',
    meaning: 'where the reports go',
  },
  {
    flag: 'config',
    variable: 'CONFORMANCE_CONFIG',
    value: '<file.json>',
    meaning: 'settings in a JSON file, keyed by flag name',
  },
];
const required = settings.slice(0, 6);

export const conformanceHelp = (program: string) =>
  flagHelp(
    `${program} --issuer <url> --client-id <id> ... [--config file.json]`,
    [
      'Runs the Hybrid Client Kit conformance suite against an identity server, and writes its report as',
      'Markdown, HTML and JUnit XML. Each setting is a flag, a key of the --config file, or a variable.',
      'To test a relying party (your app) instead: the rp mode (rp --help).',
    ],
    settings,
    {},
  );

/** The environment the suite runs with, or one line per problem. */
export const conformanceEnvironment = (args: string[], env: Record<string, string | undefined>) =>
  readSettings(args, env, settings, required);

/** The command: what `npm run conformance` and the package's hybrid-client-conformance run. */
export async function main(): Promise<number> {
  const program =
    process.env.npm_lifecycle_event === 'conformance'
      ? 'npm run conformance --'
      : 'hybrid-client-conformance';
  if (process.argv[2] === 'rp') return relyingPartyMode(`${program} rp`);
  const read = await conformanceEnvironment(process.argv.slice(2), process.env);
  if ('help' in read) {
    console.log(conformanceHelp(program));
    return 0;
  }
  if (read.problems.length > 0) {
    for (const line of read.problems) console.error(`conformance: ${line}`);
    return 2;
  }
  try {
    await opPreflight({
      issuer: read.env.CONFORMANCE_ISSUER as string,
      clientId: read.env.CONFORMANCE_CLIENT_ID as string,
      clientSecret: read.env.CONFORMANCE_CLIENT_SECRET as string,
      redirectUri: read.env.CONFORMANCE_REDIRECT_URI as string,
      user:
        read.env.CONFORMANCE_USER_EMAIL && read.env.CONFORMANCE_USER_PASSWORD
          ? { email: read.env.CONFORMANCE_USER_EMAIL, password: read.env.CONFORMANCE_USER_PASSWORD }
          : null,
    });
  } catch (error) {
    if (!(error instanceof PreflightFailed)) throw error;
    console.error(`conformance: ${error.message}`);
    return 2;
  }
  const reportDir = resolve(read.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const run = spawn(process.execPath, [vitest, 'run', '--config', join(repositoryRoot, 'vitest.config.ts')], {
    cwd: repositoryRoot,
    // The report names spec files from where the user stands, not from the suite's own folder.
    env: { ...read.env, CONFORMANCE_REPORT_DIR: reportDir, CONFORMANCE_PATHS_FROM: process.cwd() },
    stdio: 'inherit',
  });
  const [code] = await once(run, 'exit');
  return typeof code === 'number' ? code : 1;
}

/** The RP mode drives a browser: Playwright is loaded only for it, and named when it is not installed. */
async function relyingPartyMode(program: string): Promise<number> {
  try {
    const { rpMain } = await import('./rp/rp-command.ts');
    return await rpMain(program, process.argv.slice(3), process.env);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'ERR_MODULE_NOT_FOUND' || !message?.includes('@playwright/test')) throw error;
    console.error(
      "conformance rp: the rp mode drives Chromium through Playwright: npm install -D @playwright/test (and a Chromium: npx playwright install chromium, or your system's)",
    );
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname))
  process.exitCode = await main();
