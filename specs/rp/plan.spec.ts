/**
 * The relying-party plan (npm run conformance -- rp) against the kit's sample app, through Chromium and the real
 * mock: every required module passes, the report says why in three forms, nothing stays set on the mock; and the
 * command's bad input and pre-checks each end in one line and exit 2.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKit, samplePlanSettings, startKit } from '../../harness/kit.ts';
import { nodeArgumentsFor, repositoryRoot, runNpmScript, startCommand } from '../../harness/processes.ts';
import { alice } from '../../harness/test-seed.ts';
import { rpModules } from '../conformance/rp/modules.ts';
import { type ModuleResult, runRpPlan } from '../conformance/rp/plan.ts';
import { writeRpReport } from '../conformance/rp/rp-report.ts';

let kit: RunningKit;
let reports: string;
beforeAll(async () => {
  kit = await startKit();
  reports = await mkdtemp(join(tmpdir(), 'rp-plan-'));
});
afterAll(async () => {
  await kit.close();
  await rm(reports, { recursive: true, force: true });
});

/** Users the plan made for its other workers (rp-plan-…@ the user's domain). */
const madeUsers = () =>
  kit.idp.context.store.users.values().filter((user) => user.email.startsWith('rp-plan-'));

const flags = () => [
  '--',
  'rp',
  '--issuer',
  kit.idp.issuer,
  '--client-id',
  kit.client.id,
  '--client-secret',
  kit.client.secret,
  '--sign-in-url',
  `${kit.appUrl}/login?returnTo=/profile`,
  '--signed-in-url',
  `${kit.appUrl}/profile`,
  '--user',
  alice.email,
  '--password',
  alice.password,
];

describe('the RP plan against the sample app', () => {
  let results: ModuleResult[];
  beforeAll(async () => {
    results = await runRpPlan(samplePlanSettings(kit, 2));
  }, 400_000);

  it('runs every module, and every required one passes', () => {
    expect(results.map((result) => result.module.name)).toEqual(rpModules.map((module) => module.name));
    const failed = results.filter((result) => result.outcome === 'fail' || result.outcome === 'not-run');
    expect(failed.map((result) => `${result.module.name}: ${result.reason}`)).toEqual([]);
  });

  it('refuses every forged authorization response before it redeems the code', () => {
    const forged = results.filter((result) => result.module.verdict === 'refuse-before-redeem');
    expect(forged.length).toBeGreaterThan(15);
    for (const result of forged) {
      expect(result.evidence, result.module.name).toMatchObject({ signedIn: false, codeRedeemed: false });
    }
  });

  it('leaves no scenario set on the mock, and no user it made for its second worker', async () => {
    expect(await kit.idp.scenarios.list()).toEqual([]);
    expect(madeUsers()).toEqual([]);
    // The second worker did sign in, as its own user: the log shows two users' code exchanges.
    const exchanges = await kit.idp.requests.list({ endpoint: 'token', clientId: kit.client.id });
    expect(new Set(exchanges.map((entry) => entry.userId)).size).toBeGreaterThanOrEqual(2);
  });

  it('writes the report as Markdown, HTML and JUnit, a test case per module', async () => {
    const files = await writeRpReport(reports, {
      app: kit.appUrl,
      issuer: kit.idp.issuer,
      startedAt: new Date().toISOString(),
      results,
    });
    const junit = await readFile(files[2] as string, 'utf8');
    for (const module of rpModules) expect(junit).toContain(`name="${module.name}"`);
    expect(junit).toMatch(/failures="0"/);
    const markdown = await readFile(files[0] as string, 'utf8');
    expect(markdown).toContain('`oidcc-client-test-invalid-chash` | **pass**');
    expect(markdown).toContain('code not redeemed');
  });
});

describe('npm run conformance -- rp', () => {
  it('runs the chosen modules, writes its reports and exits 0', async () => {
    const run = await runNpmScript('conformance', {}, [
      ...flags(),
      '--module',
      'oidcc-client-test,oidcc-client-test-invalid-chash',
      '--report-dir',
      reports,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('pass     oidcc-client-test-invalid-chash');
    expect(run.output).toContain('2 modules: 2 pass, 0 fail, 0 advisory, 0 not run');
    expect(await readFile(join(reports, 'rp-conformance.junit.xml'), 'utf8')).toContain(
      'name="oidcc-client-test-invalid-chash"',
    );
  }, 120_000);

  it('leaves no scenario and no user it made on the mock when it is interrupted (Ctrl+C)', async () => {
    const run = startCommand(
      process.execPath,
      [
        ...nodeArgumentsFor('specs/conformance/cli.ts'),
        ...flags().slice(1),
        '--module',
        'hck-token-slow,hck-userinfo-server-error',
        '--workers',
        '2',
        '--report-dir',
        reports,
      ],
      repositoryRoot,
      {},
    );
    // hck-token-slow holds the code exchange for 15 s: interrupted in the middle of it, a second user made.
    for (
      let waited = 0;
      !(await kit.idp.scenarios.list()).some((scenario) => scenario.name === 'slow') ||
      madeUsers().length === 0;
      waited += 100
    ) {
      if (waited > 30_000) throw new Error(`no scenario was set: ${run.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(await kit.idp.scenarios.list()).toEqual([]);
    expect(madeUsers()).toEqual([]);
  }, 60_000);

  // A complete --start-mock command line, but for the one flag each case gets wrong.
  const startMockFlags = [
    '--sign-in-url',
    'http://localhost/x',
    '--signed-in-url',
    'http://localhost/y',
    '--start-mock',
    '--redirect-uri',
    'http://localhost/cb',
  ];

  it.each([
    [
      'an unknown flag',
      ['--', 'rp', '--sign-in-url', 'http://localhost/x', '--signed-in-url', 'http://localhost/y', '--nope'],
      /--nope/,
    ],
    [
      'a missing sign-in URL',
      [
        'rp',
        '--signed-in-url',
        'http://localhost/y',
        '--start-mock',
        '--redirect-uri',
        'http://localhost/cb',
      ],
      /--sign-in-url .*is required/,
    ],
    [
      'no issuer and no --start-mock',
      ['--', 'rp', '--sign-in-url', 'http://localhost/x', '--signed-in-url', 'http://localhost/y'],
      /--issuer .*is required, or --start-mock/,
    ],
    [
      'a bad number of workers',
      ['--', 'rp', ...startMockFlags, '--workers', '0'],
      /--workers must be a whole number from 1 to 8/,
    ],
    ['a bad time limit', ['rp', ...startMockFlags, '--time-limit', 'soon'], /--time-limit/],
  ])(
    'refuses %s in one line, exit 2',
    async (_case, args, line) => {
      const run = await runNpmScript('conformance', {}, args);
      expect(run.code).toBe(2);
      expect(run.output).toMatch(line);
      expect(run.output).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it.each([
    [
      'an app that does not answer',
      () => [
        ...flags().slice(0, 8),
        '--sign-in-url',
        'http://127.0.0.1:9/login',
        '--signed-in-url',
        `${kit.appUrl}/profile`,
      ],
      /the app does not answer at --sign-in-url/,
    ],
    [
      'an issuer the identity server does not announce',
      () =>
        flags().map((flag) =>
          flag === kit.idp.issuer ? kit.idp.issuer.replace('127.0.0.1', 'localhost') : flag,
        ),
      /the identity server announces the issuer http:\/\/127\.0\.0\.1:\d+\/identity, not http:\/\/localhost:\d+\/identity/,
    ],
    [
      'an issuer that does not answer',
      () => flags().map((flag) => (flag === kit.idp.issuer ? 'http://127.0.0.1:9/identity' : flag)),
      /cannot reach the identity server at http:\/\/127\.0\.0\.1:9\/identity\/\.well-known\/openid-configuration .*check --issuer/,
    ],
    [
      'a client secret the identity server refuses',
      () => flags().map((flag) => (flag === kit.client.secret ? 'not-the-secret-of-this-client' : flag)),
      /refused the client's credentials \(invalid_client\): check --client-id and --client-secret/,
    ],
    [
      'a signed-in URL that answers 2xx to anyone',
      () => [...flags().slice(0, 10), '--signed-in-url', `${kit.appUrl}/`],
      /answers 2xx to a browser that never signed in/,
    ],
    [
      'another client id',
      () => flags().map((flag) => (flag === kit.client.id ? 'c0000000-0000-4000-8000-00000000000a' : flag)),
      /the app signs in with client/,
    ],
    [
      'a user the mock does not have',
      () => flags().map((flag) => (flag === alice.email ? 'nobody@example.com' : flag)),
      /the mock has no user nobody@example.com/,
    ],
    [
      'a wrong password',
      () => [
        ...flags().map((flag) => (flag === alice.password ? 'not-her-password' : flag)),
        '--time-limit',
        '2',
      ],
      /a plain sign-in as alice@example.com failed: it did not reach --signed-in-url/,
    ],
  ])(
    'stops before any module, in one line and exit 2, on %s',
    async (_case, args, line) => {
      const run = await runNpmScript('conformance', {}, args());
      expect(run.code, run.output).toBe(2);
      expect(run.output).toMatch(line);
      expect(run.output).not.toMatch(/^(pass|fail) /m);
    },
    60_000,
  );
});
