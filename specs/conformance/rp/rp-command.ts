/**
 * `npm run conformance -- rp …` (and `hybrid-client-conformance rp …`): the relying-party plan against your app.
 * Settings as the OP mode reads them (flags over a --config JSON file over RP_CONFORMANCE_* variables); one line per
 * problem and exit 2 before anything runs; the pre-checks likewise; then the modules, a line each, the report in
 * Markdown, HTML and JUnit, and exit 0 only when no required module failed. Whatever it ends with, interrupted
 * included, no scenario stays set on the mock.
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningMockIdp } from '../../../mock-idp/src/index.ts';
import { type FlagSetting, flagHelp } from '../../../mock-idp/src/plumbing/flags.ts';
import { startSeededMockIdp } from '../../../mock-idp/src/testing/seeded-mock.ts';
import { PreflightFailed } from '../preflight.ts';
import { readSettings } from '../settings.ts';
import { type RpSettings, runRpPlan } from './plan.ts';
import { summaryLine, writeRpReport } from './rp-report.ts';

const variable = (flag: string) => `RP_CONFORMANCE_${flag.toUpperCase().replaceAll('-', '_')}`;
const setting = (flag: string, value: string, meaning: string, defaultValue?: string): FlagSetting => ({
  flag,
  variable: variable(flag),
  value,
  meaning,
  ...(defaultValue && { defaultValue }),
});

const settings: FlagSetting[] = [
  setting('sign-in-url', '<url>', 'an app URL that starts a sign-in (required)'),
  setting(
    'signed-in-url',
    '<url>',
    'an app URL that answers 2xx to a signed-in browser only (required for a web app)',
  ),
  setting(
    'app-command',
    '<command>',
    'a native app instead: the command that signs in once through the browser and exits 0 when signed in; the sign-in starts at the address it prints on the origin of --sign-in-url, or at --sign-in-url once that redirects',
  ),
  setting('issuer', '<url>', 'a mock with its test controls on (required unless --start-mock)'),
  setting('client-id', '<id>', 'the client the app uses at that mock (required unless --start-mock)'),
  setting('client-secret', '<secret>', 'its secret (required unless --start-mock)'),
  setting('user', '<email>', 'the user to sign in with', 'the demo user'),
  setting('password', '<password>', "that user's password", "the demo user's"),
  setting(
    'refresh-url',
    '<url>',
    'a form action of the signed-in page that refreshes now (turns the refresh modules on)',
  ),
  setting(
    'sign-out-url',
    '<url>',
    'a form action of the signed-in page that signs out (turns the sign-out module on)',
  ),
  setting('module', '<glob>', 'only these modules (e.g. "oidcc-*", "hck-token-*,oidcc-client-test")'),
  setting('time-limit', '<seconds>', 'how long the app may take to answer a sign-in', '10'),
  setting(
    'workers',
    '<n>',
    'modules side by side, each signed in as its own user (the others made like --user, deleted after)',
    '2',
  ),
  setting('report-dir', '<folder>', 'where the reports go', 'reports'),
  setting('start-mock', '', 'start a mock here, register the app, print what to configure it with'),
  setting('redirect-uri', '<url>', "with --start-mock: the app's callback URL"),
  setting('post-logout-redirect-uri', '<url>', "with --start-mock: the app's signed-out URL"),
  setting('config', '<file.json>', 'settings in a JSON file, keyed by flag name'),
];
const demoUser = { email: 'demo.user@example.com', password: 'Demo-User-Passw0rd' };

export async function rpMain(
  program: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const read = await readSettings(args, env, settings, settings.slice(0, 1));
  if ('help' in read) {
    console.log(
      flagHelp(
        `${program} --sign-in-url <url> --signed-in-url <url> --issuer <url> --client-id <id> --client-secret <secret>`,
        [
          "Runs the relying-party plan (the OpenID Foundation RP modules for the hybrid flow, and the kit's own) against",
          'your app, through a browser and the mock identity server, and writes its report as Markdown, HTML and JUnit.',
        ],
        settings,
        {},
      ),
    );
    return 0;
  }
  const { env: values, problems } = read;
  const get = (flag: string) => values[variable(flag)];
  const startMock = ['true', '1', ''].includes(get('start-mock') ?? 'no');
  const native = Boolean(get('app-command'));
  if (!native && !get('signed-in-url'))
    problems.push(
      `--signed-in-url (or ${variable('signed-in-url')}) is required, or --app-command for a native app`,
    );
  if (!startMock)
    for (const flag of ['issuer', 'client-id', 'client-secret'])
      if (!get(flag)) problems.push(`--${flag} (or ${variable(flag)}) is required, or --start-mock`);
  if (startMock && !get('redirect-uri'))
    problems.push("--start-mock needs --redirect-uri: the app's callback URL");
  const timeLimit = Number(get('time-limit') ?? '10');
  if (!Number.isFinite(timeLimit) || timeLimit < 1 || timeLimit > 300)
    problems.push('--time-limit must be a number of seconds from 1 to 300');
  const workers = Number(get('workers') ?? '2');
  if (!Number.isInteger(workers) || workers < 1 || workers > 8)
    problems.push('--workers must be a whole number from 1 to 8');
  else if (native && get('workers') && workers > 1)
    problems.push(
      '--workers: a native app listens on its one registered loopback address: one sign-in at a time',
    );
  for (const flag of [
    'sign-in-url',
    'signed-in-url',
    'issuer',
    'refresh-url',
    'sign-out-url',
    'redirect-uri',
  ]) {
    const value = get(flag);
    if (value && !URL.canParse(value)) problems.push(`--${flag} must be an absolute URL: ${value}`);
  }
  if (problems.length > 0) {
    for (const line of problems) console.error(`conformance rp: ${line}`);
    return 2;
  }

  let mock: { idp: RunningMockIdp; dispose(): Promise<void> } | null = null;
  let settingsForRun: RpSettings;
  const base = {
    signInUrl: get('sign-in-url') as string,
    signedInUrl: get('signed-in-url'),
    appCommand: get('app-command'),
    refreshUrl: get('refresh-url'),
    signOutUrl: get('sign-out-url'),
    modules: get('module'),
    timeLimitSeconds: timeLimit,
    workers,
  };
  if (startMock) {
    mock = await startSeededMockIdp();
    const client = await mock.idp.controls.clients.create({
      name: 'App under the RP plan',
      redirectUris: [get('redirect-uri') as string],
      postLogoutRedirectUris: get('post-logout-redirect-uri')
        ? [get('post-logout-redirect-uri') as string]
        : [],
      allowOfflineAccess: true,
    });
    console.log(`conformance rp: started a mock identity server; configure the app with:`);
    console.log(`  ISSUER_URL=${mock.idp.issuer}`);
    console.log(`  CLIENT_ID=${client.id}`);
    console.log(`  CLIENT_SECRET=${client.secret}`);
    console.log(`  TENANT_ID=${client.tenantId}`);
    settingsForRun = {
      ...base,
      issuer: mock.idp.issuer,
      clientId: client.id,
      clientSecret: client.secret,
      user: get('user') ?? demoUser.email,
      password: get('password') ?? demoUser.password,
    };
  } else {
    settingsForRun = {
      ...base,
      issuer: get('issuer') as string,
      clientId: get('client-id') as string,
      clientSecret: get('client-secret') as string,
      user: get('user') ?? demoUser.email,
      password: get('password') ?? demoUser.password,
    };
  }

  // Interrupted: the run stops, clears its scenarios and deletes the users it made before the process ends.
  const interrupted = new AbortController();
  const stop = () => {
    console.error('conformance rp: interrupted: clearing the scenarios and users this run set');
    interrupted.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (mock) await waitForApp(settingsForRun.signInUrl, interrupted.signal);
    const startedAt = new Date().toISOString();
    const results = await runRpPlan(
      settingsForRun,
      (result) =>
        console.log(
          `${result.outcome.padEnd(8)} ${result.module.name}${result.reason ? `: ${result.reason}` : ''}`,
        ),
      interrupted.signal,
    );
    const folder = resolve(get('report-dir') ?? 'reports');
    const files = await writeRpReport(folder, {
      app: new URL(settingsForRun.signInUrl).origin,
      issuer: settingsForRun.issuer,
      startedAt,
      results,
    });
    console.log(`conformance rp: ${summaryLine(results)}`);
    console.log(`conformance rp: reports ${files.join(', ')}`);
    return results.some((result) => result.outcome === 'fail') ? 1 : 0;
  } catch (error) {
    if (interrupted.signal.aborted) return 130;
    if (error instanceof PreflightFailed) {
      console.error(`conformance rp: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await mock?.dispose();
  }
}

/** With --start-mock the app starts after the mock: wait for it (two minutes at most). */
async function waitForApp(signInUrl: string, signal: AbortSignal): Promise<void> {
  console.log(`conformance rp: waiting for the app at ${signInUrl}`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    const answered = await fetch(signInUrl, { redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await sleep(500);
  }
  throw new PreflightFailed(`the app did not answer at --sign-in-url ${signInUrl} within two minutes`);
}
