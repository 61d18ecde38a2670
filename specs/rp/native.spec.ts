/**
 * The relying-party plan against the kit's native app (system browser, loopback redirect), driven through its
 * loopback listener: the app runs once per sign-in (--no-browser --keep, then --forget), the plan's browser visits
 * its start address, and the app's exit code says whether it signed in. Every sign-in module passes; the refresh
 * and sign-out modules, which need a web app's forms, are not run and say why.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, freePort, repositoryRoot, startTestIdp, type TestIdp, tenant } from '../../harness/index.ts';
import { nodeArgumentsFor } from '../../harness/processes.ts';
import { rpModules } from '../conformance/rp/modules.ts';
import { type ModuleResult, type RpSettings, runRpPlan } from '../conformance/rp/plan.ts';

let idp: TestIdp;
let tokens: string;
let settings: RpSettings;

const quoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

beforeAll(async () => {
  idp = await startTestIdp();
  tokens = await mkdtemp(join(tmpdir(), 'rp-native-'));
  const loopback = `http://127.0.0.1:${await freePort()}`;
  const client = await idp.controls.clients.create({
    name: 'Native app under the RP plan',
    redirectUris: [`${loopback}/signin-oidc`],
    postLogoutRedirectUris: [`${loopback}/signout-callback-oidc`],
    allowOfflineAccess: true,
    tenantId: tenant.id,
  });
  const environment = {
    ISSUER_URL: idp.issuer,
    CLIENT_ID: client.id,
    CLIENT_SECRET: client.secret,
    TENANT_ID: client.tenantId,
    API_BASE_URL: idp.origin,
    REDIRECT_URI: `${loopback}/signin-oidc`,
    POST_LOGOUT_REDIRECT_URI: `${loopback}/signout-callback-oidc`,
    TOKEN_FILE: join(tokens, 'sign-in.json'),
  };
  const app = ['node', ...nodeArgumentsFor('native-app/src/main.ts')].map(quoted).join(' ');
  settings = {
    issuer: idp.issuer,
    clientId: client.id,
    clientSecret: client.secret,
    signInUrl: `${loopback}/start`,
    appCommand: [
      `cd ${quoted(repositoryRoot)}`,
      `export ${Object.entries(environment)
        .map(([name, value]) => `${name}=${quoted(value)}`)
        .join(' ')}`,
      // Signs in and keeps it (no sign-out through the browser), then revokes and forgets what it kept.
      `${app} --no-browser --keep && ${app} --forget`,
    ].join('; '),
    user: alice.email,
    password: alice.password,
    timeLimitSeconds: 10,
    workers: 1,
  };
});
afterAll(async () => {
  await idp.dispose();
  await rm(tokens, { recursive: true, force: true });
});

describe('the RP plan against the native app', () => {
  let results: ModuleResult[];
  beforeAll(async () => {
    results = await runRpPlan(settings);
  }, 400_000);

  it('passes every sign-in module; the refresh and sign-out modules are not run, and say why', () => {
    expect(results.map((result) => result.module.name)).toEqual(rpModules.map((module) => module.name));
    const outcomes = (flow: string) =>
      results
        .filter((result) => (flow === 'sign-in') === (result.module.flow === 'sign-in'))
        .filter((result) => result.outcome === (flow === 'sign-in' ? 'fail' : 'not-run'));
    expect(outcomes('sign-in').map((result) => `${result.module.name}: ${result.reason}`)).toEqual([]);
    const notRun = results.filter((result) => result.module.flow !== 'sign-in');
    expect(notRun.map((result) => result.outcome)).toEqual(notRun.map(() => 'not-run'));
    expect(notRun[0]?.reason).toMatch(/native app is judged on its sign-in's exit code/);
  });

  it('refuses every forged authorization response a required module sends before it redeems the code', () => {
    const forged = results.filter(
      (result) => result.module.verdict === 'refuse-before-redeem' && !result.module.advisory,
    );
    expect(forged.length).toBeGreaterThan(10);
    for (const result of forged)
      expect(result.evidence, result.module.name).toMatchObject({ signedIn: false, codeRedeemed: false });
    expect(results.find((result) => result.module.name === 'oidcc-client-test')?.evidence).toMatchObject({
      signedIn: true,
      codeRedeemed: true,
      userinfoCalled: true,
    });
  });

  it('leaves no scenario set, and no kept sign-in behind', async () => {
    expect(await idp.scenarios.list()).toEqual([]);
    expect(await readdir(tokens)).toEqual([]);
  });
});
