/**
 * The relying-party plan can fail: it runs against an RP written from the specifications (fetch and jose, every
 * check its own), strict first (every required module passes), then weakened one check at a time. Each weakened RP
 * must fail the modules that target its missing check, and still pass a sanity module; the run prints the catch
 * rate. A weakened RP that passes its modules is a hole in the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, startTestIdp, type TestIdp, tenant } from '../../harness/index.ts';
import { type ModuleResult, type RpSettings, runRpPlan } from '../conformance/rp/plan.ts';
import { type RpCheck, rpChecks } from '../support/independent-rp.ts';
import { type RelyingPartyApp, startRelyingPartyApp } from '../support/relying-party-app.ts';

/** The modules that target each check: a weakened RP without the check must fail every one of them. */
const targets: Record<RpCheck, string[]> = {
  'response-iss': ['hck-response-iss-mismatch'],
  state: ['hck-state-mismatch'],
  signature: ['oidcc-client-test-invalid-sig-rs256', 'hck-sig-hs256', 'hck-alg-none', 'hck-unknown-kid'],
  iss: ['oidcc-client-test-invalid-iss', 'hck-token-invalid-iss'],
  aud: ['oidcc-client-test-invalid-aud', 'hck-token-invalid-aud'],
  exp: ['hck-expired'],
  nonce: ['oidcc-client-test-nonce-invalid', 'hck-token-nonce-invalid'],
  c_hash: ['oidcc-client-test-invalid-chash', 'oidcc-client-test-missing-chash'],
  'verify-before-redeem': [
    'oidcc-client-test-invalid-chash',
    'oidcc-client-test-invalid-sig-rs256',
    'oidcc-client-test-nonce-invalid',
  ],
  'token-sub': ['hck-token-sub-mismatch'],
  'userinfo-sub': ['oidcc-client-test-userinfo-invalid-sub'],
  'refresh-iss': ['oidcc-client-test-refresh-token-invalid-issuer'],
  'refresh-sub': ['oidcc-client-test-refresh-token-invalid-sub'],
  'form-post-error': ['oidcc-client-test-form-post-error'],
};
/** Passed by every weakened RP: the check it lost is not one these need. */
const sanity = 'oidcc-client-test';

let idp: TestIdp;
let app: RelyingPartyApp;
let client: { id: string; secret: string; redirectUri: string; postLogoutRedirectUri: string };
beforeAll(async () => {
  idp = await startTestIdp();
  app = await startRelyingPartyApp('localhost');
  const created = await idp.controls.clients.create({
    name: 'Independent RP',
    tenantId: tenant.id,
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUris: [`${app.origin}/signed-out`],
    allowOfflineAccess: true,
  });
  client = {
    id: created.id,
    secret: created.secret,
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/signed-out`,
  };
});
afterAll(async () => {
  await app.close();
  await idp.dispose();
});

const settings = (modules?: string): RpSettings => ({
  issuer: idp.issuer,
  clientId: client.id,
  clientSecret: client.secret,
  signInUrl: `${app.origin}/login`,
  signedInUrl: `${app.origin}/profile`,
  user: alice.email,
  password: alice.password,
  refreshUrl: `${app.origin}/refresh`,
  signOutUrl: `${app.origin}/logout`,
  timeLimitSeconds: 10,
  workers: 2,
  ...(modules && { modules }),
});
const failedNames = (results: ModuleResult[]) =>
  results.filter((result) => result.outcome === 'fail').map((result) => result.module.name);

describe('the RP plan against an RP written from the specifications', () => {
  it('passes the strict RP on every required module', async () => {
    await app.connect(idp.issuer, client);
    const results = await runRpPlan(settings());
    expect(
      results
        .filter((result) => result.outcome === 'fail' || result.outcome === 'not-run')
        .map((r) => `${r.module.name}: ${r.reason}`),
    ).toEqual([]);
  }, 400_000);

  it('catches every weakened RP on exactly the modules that target its missing check', async () => {
    const caught: string[] = [];
    const holes: string[] = [];
    for (const check of rpChecks) {
      await app.connect(idp.issuer, client, new Set([check]));
      const results = await runRpPlan(settings([sanity, ...targets[check]].join(',')));
      const failed = failedNames(results);
      expect(failed, `without ${check}`).not.toContain(sanity);
      const missed = targets[check].filter((module) => !failed.includes(module));
      if (missed.length === 0) caught.push(check);
      else holes.push(`without ${check}, the plan still passes ${missed.join(', ')}`);
    }
    console.log(`rp mutants: ${caught.length} caught of ${rpChecks.length} run`);
    expect(holes).toEqual([]);
  }, 600_000);
});
