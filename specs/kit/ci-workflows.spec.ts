/**
 * The GitHub Actions workflows of docs/ci/, run step by step (specs/support/github-workflow.ts) in an empty project
 * with the kit's packed tarballs in vendor/, as a user's repository holds them: the identity-server workflow against
 * a mock standing in for the user's identity server, and the relying-party workflow against a copy of the sample
 * app standing in for the user's app. A workflow whose commands, flags, paths or file names drift from the kit fails
 * here.
 */
// vitest: long-running
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStarter } from '../../harness/copied-out.ts';
import { freePort } from '../../harness/free-port.ts';
import { conformanceFlags, kitSeed } from '../../harness/kit-seed.ts';
import { type MockIdpProcess, startMockIdpProcess } from '../../harness/mock-idp-process.ts';
import { type PackedKit, packedKit } from '../../harness/packed-packages.ts';
import { repositoryRoot } from '../../harness/processes.ts';
import { conformanceEnvironment } from '../conformance/cli.ts';
import { readWorkflow, runWorkflow, type StandIn, type WorkflowOutcome } from '../support/github-workflow.ts';

const workflowFile = (name: string) => join(repositoryRoot, 'docs', 'ci', name);
// The npm cache of this machine is warm; a runner's `cache: npm` makes it so there too.
const runnerEnv = { npm_config_prefer_offline: 'true' };
const chromiumStandIn: StandIn = {
  line: 'npx playwright install --with-deps chromium',
  instead: ':',
  why: "Playwright's download is out of reach here; the command finds the system's Chromium",
};

let packed: PackedKit;
const folders: string[] = [];

/** An empty project, or a copy of a starter, with the kit's tarballs in vendor/. */
async function projectWithVendoredPackages(starter?: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'workflow-project-'));
  folders.push(folder);
  if (starter) await copyStarter(starter, folder);
  await mkdir(join(folder, 'vendor'));
  for (const tarball of [packed.mockIdp, packed.conformance])
    await cp(tarball.path, join(folder, 'vendor', tarball.filename));
  return folder;
}

/** A failed step's name and output, so a failing workflow says what broke. */
const failures = (run: WorkflowOutcome) =>
  run.steps
    .filter((step) => step.outcome === 'failure')
    .map((step) => `${step.name}:\n${step.output}`)
    .join('\n');

beforeAll(async () => {
  packed = await packedKit();
}, 300_000);
afterAll(async () => {
  for (const folder of folders)
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

describe('the workflows as files', () => {
  it('are workflows of one job each, and every expression they use is one the runner fills in', async () => {
    for (const name of ['op-conformance.yml', 'rp-conformance.yml']) {
      const workflow = await readWorkflow(workflowFile(name));
      expect(Object.keys(workflow.jobs)).toHaveLength(1);
    }
    // The kit's own CI, which a fork runs, is read the same way.
    await readWorkflow(join(repositoryRoot, '.github', 'workflows', 'ci.yml'));
  });
});

describe('docs/ci/op-conformance.yml: the suite against the user’s identity server', () => {
  let server: MockIdpProcess;
  let project: string;
  /**
   * The workflow's variables and secrets, as a user sets them for the server: its client, its admin client. The
   * command's own reading of its flags names the variables.
   */
  const settingsFor = async (issuer: string, clientSecret?: string) => {
    const admin = kitSeed.clientCredentialsClients[0];
    const read = await conformanceEnvironment(
      [
        ...conformanceFlags(issuer, undefined, clientSecret),
        '--admin-client-id',
        admin?.id ?? '',
        '--admin-client-secret',
        admin?.secrets[0]?.value ?? '',
      ],
      {},
    );
    if ('help' in read) throw new Error('the flags asked for help');
    const vars: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(read.env))
      if (value !== undefined) (name.endsWith('SECRET') ? secrets : vars)[name] = value;
    return { vars, secrets };
  };

  beforeAll(async () => {
    server = await startMockIdpProcess(kitSeed);
    project = await projectWithVendoredPackages();
  }, 60_000);
  afterAll(() => server?.stop());

  it('installs the packaged command, passes, and keeps the reports, JUnit included', async () => {
    const run = await runWorkflow(workflowFile('op-conformance.yml'), {
      folder: project,
      ...(await settingsFor(server.issuer)),
      runnerEnv,
    });
    expect(failures(run)).toBe('');
    expect(run.steps.map((step) => step.outcome)).toEqual(run.steps.map(() => 'success'));
    expect(run.artifacts).toEqual([{ path: 'conformance-reports/', found: true }]);
    const junit = await readFile(join(project, 'conformance-reports', 'conformance.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="Hybrid Client Kit conformance" tests="\d+" failures="0"/);
    // The admin API rule passed, not skipped: the workflow hands the admin client over.
    expect(junit).toMatch(/<testcase classname="[^"]+" name="admin-api: [^"]+"><\/testcase>/);
    expect(run.summary).toBe(await readFile(join(project, 'conformance-reports', 'conformance.md'), 'utf8'));
    expect(run.summary).toContain('node_modules/@hybrid-client-kit/conformance/suite/specs/');
  }, 300_000);

  it('fails at the suite with one line naming invalid_client when the secret is wrong, and still keeps the reports step', async () => {
    const run = await runWorkflow(workflowFile('op-conformance.yml'), {
      folder: project,
      ...(await settingsFor(server.issuer, 'not-the-secret-of-this-client')),
      runnerEnv,
    });
    const suite = run.steps.find((step) => step.outcome === 'failure');
    expect(suite?.name).toBe('The conformance suite against the identity server');
    expect(suite?.output.trim().split('\n')).toEqual([
      expect.stringMatching(/^conformance: .*\(invalid_client\)/),
    ]);
    expect(run.steps.at(-1)).toMatchObject({ name: 'Keep the reports', outcome: 'success' });
  }, 120_000);

  it('refuses to start, naming the setting, when a required variable is not set', async () => {
    const { vars, secrets } = await settingsFor(server.issuer);
    delete vars.CONFORMANCE_TENANT_ID;
    const run = await runWorkflow(workflowFile('op-conformance.yml'), {
      folder: project,
      vars,
      secrets,
      runnerEnv,
    });
    const suite = run.steps.find((step) => step.outcome === 'failure');
    expect(suite?.output).toContain('CONFORMANCE_TENANT_ID');
  }, 120_000);
});

describe('docs/ci/rp-conformance.yml: the relying-party plan against the user’s app', () => {
  it('starts the packaged mock seeded from the example seed, starts the app, runs the plan and keeps its report', async () => {
    const modules =
      'oidcc-client-test,oidcc-client-test-invalid-chash,oidcc-client-test-refresh-token,hck-sign-out';
    const [mockPort, appPort] = [await freePort(), await freePort()];
    const project = await projectWithVendoredPackages('sample-app');
    const seed = await readFile(workflowFile('mock-idp-seed.json'), 'utf8');
    await mkdir(join(project, 'ci'));
    await writeFile(
      join(project, 'ci', 'mock-idp-seed.json'),
      seed.replaceAll('localhost:3000', `localhost:${appPort}`),
    );
    const run = await runWorkflow(workflowFile('rp-conformance.yml'), {
      folder: project,
      // A runner's ports are its own; here, free ones.
      jobEnv: { MOCK_IDP_PORT: String(mockPort), APP_URL: `http://localhost:${appPort}` },
      runnerEnv: {
        ...runnerEnv,
        // The whole plan against the sample app is specs/rp/plan.spec.ts; here, a sign-in, a forged response, a
        // refresh and a sign-out prove the workflow's wiring.
        RP_CONFORMANCE_MODULE: modules,
      },
      standIns: [chromiumStandIn],
    });
    expect(failures(run)).toBe('');
    expect(run.artifacts).toEqual([
      { path: 'rp-reports/', found: true },
      { path: 'mock-idp.log', found: true },
      { path: 'app.log', found: true },
    ]);
    const junit = await readFile(join(project, 'rp-reports', 'rp-conformance.junit.xml'), 'utf8');
    expect(junit).toContain('tests="4" failures="0" skipped="0"');
    // Each passed (an empty test case): the refresh and sign-out modules run only when the workflow names the URLs.
    for (const module of modules.split(','))
      expect(junit).toMatch(
        new RegExp(`<testcase classname="rp" name="${module}" time="[\\d.]+"></testcase>`),
      );
    expect(run.summary).toBe(await readFile(join(project, 'rp-reports', 'rp-conformance.md'), 'utf8'));
  }, 400_000);
});
