/**
 * `npm run conformance`: the suite against another identity server from flags or a JSON file, with its report as
 * Markdown, HTML and JUnit XML, and an exit code CI can trust (0 only when nothing failed).
 */
// vitest: long-running
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/free-port.ts';
import { conformanceFlags, demoClient, demoUserFlags, kitSeed } from '../../harness/kit-seed.ts';
import { type MockIdpProcess, startMockIdpProcess } from '../../harness/mock-idp-process.ts';
import { runNpmScript } from '../../harness/processes.ts';
import { mockIdpControls } from '../../mock-idp/src/index.ts';
import { conformanceEnvironment } from '../conformance/cli.ts';

const required = (issuer: string, secret?: string) => conformanceFlags(issuer, demoClient, secret);

let folder: string;
let mock: MockIdpProcess;
let unusedPort: number;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'conformance-command-'));
  unusedPort = await freePort();
  mock = await startMockIdpProcess(kitSeed);
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('the conformance command, reading its settings', () => {
  it('takes flags over a JSON file over the environment', async () => {
    const config = join(folder, 'settings.json');
    await writeFile(
      config,
      JSON.stringify({ issuer: 'https://from-file.example/identity', 'time-control': true }),
    );
    const read = await conformanceEnvironment(
      ['--config', config, ...required('https://from-flags.example/identity')],
      { CONFORMANCE_ISSUER: 'https://from-env.example/identity', CONFORMANCE_USER_EMAIL: 'env@example.com' },
    );
    expect(read).toMatchObject({
      problems: [],
      env: {
        CONFORMANCE_ISSUER: 'https://from-flags.example/identity',
        CONFORMANCE_TIME_CONTROL: 'true',
        CONFORMANCE_USER_EMAIL: 'env@example.com',
      },
    });
  });

  it('refuses, one line each: an unknown flag, an unknown key in the file, a missing required setting', async () => {
    const config = join(folder, 'bad.json');
    await writeFile(config, JSON.stringify({ isuer: 'https://typo.example' }));
    const read = await conformanceEnvironment(['--config', config, '--verbose'], {});
    expect(read).toMatchObject({
      problems: [
        'unknown option --verbose (see --help)',
        `${config}: unknown key "isuer" (the keys are the flag names)`,
        '--issuer (or CONFORMANCE_ISSUER) is required',
        '--client-id (or CONFORMANCE_CLIENT_ID) is required',
        '--client-secret (or CONFORMANCE_CLIENT_SECRET) is required',
        '--redirect-uri (or CONFORMANCE_REDIRECT_URI) is required',
        '--post-logout-redirect-uri (or CONFORMANCE_POST_LOGOUT_REDIRECT_URI) is required',
        '--tenant-id (or CONFORMANCE_TENANT_ID) is required',
      ],
    });
  });
});

describe('npm run conformance against a running mock', () => {
  it('passes, says what it skipped and why, and writes the reports, JUnit included', async () => {
    const reports = join(folder, 'passing');
    const run = await runNpmScript('conformance', {}, [
      '--',
      ...required(mock.issuer),
      '--report-dir',
      reports,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/skipped: .* \(the target has no test-user\)/);
    const junit = await readFile(join(reports, 'conformance.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="Hybrid Client Kit conformance" tests="\d+" failures="0"/);
    expect(junit).toContain(`<testsuite name="conformance: ${mock.issuer}"`);
    expect(await readFile(join(reports, 'conformance.html'), 'utf8')).toContain(`<dd>${mock.issuer}</dd>`);
  });

  it('fails with the broken rules when the target breaks one', async () => {
    const reports = join(folder, 'failing');
    const controls = mockIdpControls(mock.origin);
    // Every front-channel id_token of the demo client names another audience: the settings are right, the server is not.
    await controls.scenarios.set({ clientId: demoClient.id, name: 'invalid-aud', times: 'until-cleared' });
    try {
      const run = await runNpmScript('conformance', {}, [
        '--',
        ...required(mock.issuer),
        ...demoUserFlags,
        '--report-dir',
        reports,
      ]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/rules broken: /);
      // Each report says why, first: the assertion's own message, in the first rule it lists.
      const why = 'unexpected &#34;aud&#34; claim value';
      const junit = await readFile(join(reports, 'conformance.junit.xml'), 'utf8');
      expect(junit).toMatch(/failures="[1-9]\d*"/);
      expect(junit.match(/<testcase [^>]*>(<\w+)/)?.[1]).toBe('<failure');
      expect(junit).toContain(`<failure message="${why}">`);
      const html = await readFile(join(reports, 'conformance.html'), 'utf8');
      expect(html.indexOf('<details open>')).toBe(html.indexOf('<details'));
      expect(html).toContain(`<pre>${why}`);
      const markdown = await readFile(join(reports, 'conformance.md'), 'utf8');
      expect(markdown.indexOf('## Failures')).toBeGreaterThan(0);
      expect(markdown.indexOf('unexpected "aud" claim value')).toBeGreaterThan(
        markdown.indexOf('## Failures'),
      );
      expect(markdown.indexOf('unexpected "aud" claim value')).toBeLessThan(markdown.indexOf('| rule |'));
    } finally {
      await controls.scenarios.clearAll(demoClient.id);
    }
  });
});

describe('npm run conformance, before any spec (the pre-flight)', () => {
  /** The run's own lines: what npm prints before the command starts is left out. */
  const preflightLines = (output: string) =>
    output.split('\n').filter((line) => line.startsWith('conformance'));

  it.each([
    [
      'a wrong client secret: the refusal, named',
      () => [...required(mock.issuer, 'not-the-secret'), ...demoUserFlags],
      /^conformance: the identity server refused the client's credentials \(invalid_client\): check --client-id and --client-secret$/,
    ],
    [
      'a wrong client secret and no test user: the refusal, named',
      () => required(mock.issuer, 'not-the-secret'),
      /^conformance: the identity server refused the client's credentials \(invalid_client\): check --client-id and --client-secret$/,
    ],
    [
      'a wrong password of the test user',
      () => [
        ...required(mock.issuer),
        '--user-email',
        demoUserFlags[1] as string,
        '--user-password',
        'wrong',
      ],
      /^conformance: the test user \S+ could not sign in: check --user-email and --user-password$/,
    ],
    [
      'an issuer nobody answers at',
      () => required(`http://127.0.0.1:${unusedPort}/identity`),
      /^conformance: cannot reach the identity server at http:\/\/127\.0\.0\.1:\d+\/identity\/\.well-known\/openid-configuration \(.+\): check --issuer$/,
    ],
    [
      'another issuer than the one the server announces: both named',
      () => required(mock.issuer.replace('127.0.0.1', 'localhost')),
      /^conformance: the identity server announces the issuer http:\/\/127\.0\.0\.1:\d+\/identity, not http:\/\/localhost:\d+\/identity: give --issuer http:\/\/127\.0\.0\.1:\d+\/identity if that is the server you mean$/,
    ],
  ])('stops on %s, in one line and exit 2, running no spec', async (_case, flags, line) => {
    const run = await runNpmScript('conformance', {}, [
      '--',
      ...flags(),
      '--report-dir',
      join(folder, 'stopped'),
    ]);
    expect(run.code, run.output).toBe(2);
    expect(preflightLines(run.output)).toEqual([expect.stringMatching(line)]);
    expect(run.output).not.toMatch(/RUN|Test Files/);
  });
});
