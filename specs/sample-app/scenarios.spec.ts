/**
 * The sample app against the real mock's scenarios: every forgery a correct app must refuse, it refuses (no
 * session, a readable error page, no stack trace), and for a forged authorization response the mock's request log
 * shows the code was never redeemed; what it must accept, it accepts; after a fault it answers, then signs in again.
 */
// vitest: long-running
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAppForm, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { type ScenarioName, scenarioCatalogue } from '../../mock-idp/src/scenarios/catalogue.ts';

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit.close());

const set = (name: ScenarioName, options: Record<string, unknown> = {}) =>
  kit.idp.scenarios.set({ clientId: kit.client.id, name, ...options });

/** Starts a sign-in at the app, signs in at the mock's login page, and delivers the response to the app. */
async function signIn(agent = new UserAgent()) {
  const login = await agent.request(`${kit.appUrl}/login?returnTo=/profile`);
  const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
  const callback = await agent.request(`${kit.appUrl}/callback`, { form: response.fields });
  return { agent, callback, fields: response.fields };
}

const signedIn = async (agent: UserAgent) =>
  (await agent.request(`${kit.appUrl}/profile`)).response.status === 200;

/** A page for a person: an error heading, and nothing of a stack trace. */
function expectReadableRefusal(callback: Awaited<ReturnType<typeof signIn>>['callback']) {
  expect(callback.response.status).toBeGreaterThanOrEqual(400);
  expect(callback.response.status).toBeLessThan(600);
  expect(callback.response.headers.get('content-type')).toContain('text/html');
  expect(callback.body).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules/);
}

async function tokenRequestsSince(seq: number) {
  return kit.idp.requests.list({ clientId: kit.client.id, endpoint: 'token', after: seq });
}
const lastSeq = async () => (await kit.idp.requests.list()).at(-1)?.seq ?? 0;

/** The scenario a tagged title names: '[#scenario-expired] expired' is expired. */
const nameOf = (tagged: string) => tagged.replace(/^\[#scenario-[\w-]+\] /, '') as ScenarioName;

/** What the sample app's page says, where it is not "The sign-in response could not be verified". */
const pageSays: Partial<Record<ScenarioName, string>> = {
  'wrong-tenant': 'belongs to another tenant',
  'state-mismatch': 'This sign-in cannot be completed',
  access_denied: 'Sign-in cancelled',
  login_required: 'Sign-in required',
  consent_required: 'Consent required',
  interaction_required: 'refused the sign-in',
};

/** What a correct app refuses, by the response the forgery is in. */
const refused = {
  authorization: [
    '[#scenario-invalid-iss] invalid-iss',
    '[#scenario-invalid-aud] invalid-aud',
    '[#scenario-missing-sub] missing-sub',
    '[#scenario-missing-iat] missing-iat',
    '[#scenario-invalid-chash] invalid-chash',
    '[#scenario-missing-chash] missing-chash',
    '[#scenario-invalid-sig-rs256] invalid-sig-rs256',
    '[#scenario-sig-hs256] sig-hs256',
    '[#scenario-alg-none] alg-none',
    '[#scenario-unknown-kid] unknown-kid',
    '[#scenario-nonce-invalid] nonce-invalid',
    '[#scenario-expired] expired',
    '[#scenario-iat-in-future] iat-in-future',
    '[#scenario-wrong-tenant] wrong-tenant',
    '[#scenario-response-iss-mismatch] response-iss-mismatch',
    '[#scenario-state-mismatch] state-mismatch',
    '[#scenario-access_denied] access_denied',
    '[#scenario-login_required] login_required',
    '[#scenario-consent_required] consent_required',
    '[#scenario-interaction_required] interaction_required',
  ],
  codeExchange: [
    '[#scenario-token-invalid-iss] token-invalid-iss',
    '[#scenario-token-invalid-aud] token-invalid-aud',
    '[#scenario-token-sub-mismatch] token-sub-mismatch',
    '[#scenario-token-nonce-invalid] token-nonce-invalid',
    '[#scenario-userinfo-invalid-sub] userinfo-invalid-sub',
  ],
  refresh: [
    '[#scenario-refresh-invalid-iss] refresh-invalid-iss',
    '[#scenario-refresh-sub-changed] refresh-sub-changed',
    '[#scenario-refresh-invalid_grant] refresh-invalid_grant',
  ],
};

it('proves the sample app against every scenario of the catalogue a correct app must refuse (discovery: below)', () => {
  const proved = Object.values(refused).flat().map(nameOf).sort();
  const mustRefuse = scenarioCatalogue
    .filter((scenario) => scenario.expect === 'refuse' && scenario.name !== 'discovery-issuer-mismatch')
    .map((scenario) => scenario.name)
    .sort();
  expect(proved).toEqual(mustRefuse);
});

describe('forged authorization responses: refused before the code is redeemed', () => {
  for (const tagged of refused.authorization) {
    const name = nameOf(tagged);
    it(`${tagged}: refused, and the code never redeemed`, async () => {
      await set(name, name === 'sig-hs256' ? { clientSecret: kit.client.secret } : {});
      const since = await lastSeq();
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
      expect(callback.body).toContain(pageSays[name] ?? 'could not be verified');
      expect(await signedIn(agent)).toBe(false);
      expect(await tokenRequestsSince(since)).toEqual([]);
      // The scenario is used up: the next sign-in works.
      const next = await signIn();
      expect(next.callback.response.status).toBe(303);
      expect(await signedIn(next.agent)).toBe(true);
    });
  }
});

describe('forged token responses and UserInfo: refused', () => {
  for (const tagged of refused.codeExchange) {
    const name = nameOf(tagged);
    it(`${tagged}: refused, no session`, async () => {
      await set(name);
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
      expect(await signedIn(agent)).toBe(false);
      const log = await kit.idp.requests.list({ clientId: kit.client.id });
      expect(log.some((entry) => entry.scenario === name)).toBe(true);
      expect((await signIn()).callback.response.status).toBe(303);
    });
  }
});

describe('two scenarios at once', () => {
  it('[#scenario-token-sub-mismatch] refuses token-sub-mismatch even when UserInfo is down (the two id_tokens are compared, not only UserInfo)', async () => {
    await set('token-sub-mismatch');
    await set('userinfo-server-error');
    const { agent, callback } = await signIn();
    expectReadableRefusal(callback);
    expect(await signedIn(agent)).toBe(false);
    await kit.idp.scenarios.clearAll();
  });
});

describe('forged refresh responses: the refreshed tokens are not kept', () => {
  for (const tagged of refused.refresh) {
    const name = nameOf(tagged);
    it(`${tagged}: the refreshed tokens are not kept`, async () => {
      const agent = await signInThroughApp(kit.appUrl, alice);
      await set(name);
      const since = await lastSeq();
      const refresh = await postAppForm(agent, kit.appUrl, '/refresh');
      expect(refresh.response.status).toBeGreaterThanOrEqual(400);
      expect(refresh.body).not.toMatch(/\n\s+at [\w.<>]+ \(/);
      const log = await tokenRequestsSince(since);
      expect(log).toMatchObject([{ grantType: 'refresh_token', scenario: name }]);
      const profile = await agent.request(`${kit.appUrl}/profile`);
      // Either signed out, or still the user who signed in: never the forged subject.
      if (profile.response.status === 200) expect(profile.body).toContain(alice.name);
      if (name !== 'refresh-invalid-iss') {
        // The session cannot go on: a page that asks to sign in again, and the profile sends to the sign-in.
        expect(refresh.response.status).toBe(401);
        expect(refresh.body).toContain('Please sign in again');
        expect(profile.response.status).toBe(303);
        expect(profile.response.headers.get('location')).toBe('/login?returnTo=%2Fprofile');
      }
      if (name === 'refresh-invalid_grant') expect(refresh.body).toContain('expired or was revoked');
    });
  }
});

describe('what a correct app accepts', () => {
  // First of its block: the kit's mock still publishes one key (signing-key-rotation below adds more).
  it('[#scenario-kid-absent-single-jwks] accepts an id_token without kid when the JWKS holds one key', async () => {
    await set('kid-absent-single-jwks');
    const { agent, callback } = await signIn();
    expect(callback.response.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
  });

  it('[#scenario-signing-key-rotation] accepts an id_token signed with a key published after it fetched the JWKS', async () => {
    expect((await signIn()).callback.response.status).toBe(303);
    await set('signing-key-rotation');
    const { agent, callback } = await signIn();
    expect(callback.response.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
  });

  it('[#scenario-token-invalid-sig] answers a token-endpoint id_token with a broken signature with a session (TLS stands in for it) or a readable refusal', async () => {
    await set('token-invalid-sig');
    const { callback } = await signIn();
    if (callback.response.status !== 303) expectReadableRefusal(callback);
    expect((await signIn()).callback.response.status).toBe(303);
  });

  it('[#scenario-kid-absent-multiple-jwks] answers an id_token without kid among several keys with a session or a readable refusal', async () => {
    await set('kid-absent-multiple-jwks');
    const { callback } = await signIn();
    if (callback.response.status !== 303) expectReadableRefusal(callback);
    expect((await signIn()).callback.response.status).toBe(303);
  });
});

describe('faults: the app answers, then signs in again', () => {
  for (const [tagged, status, says] of [
    ['[#scenario-invalid_grant] invalid_grant', 400, 'Sign in again'],
    ['[#scenario-invalid_client] [#sample-invalid-client-page] invalid_client', 502, 'CLIENT_SECRET'],
    ['[#scenario-server-error] server-error', 400, 'href="/login'],
    ['[#scenario-malformed-json] malformed-json', 400, 'href="/login'],
  ] as const) {
    const name = nameOf(tagged.replace(' [#sample-invalid-client-page]', ''));
    it(`${tagged}: answered at the code exchange with a page that says what to do (${says}), then recovers`, async () => {
      await set(name);
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
      expect(callback.response.status).toBe(status);
      expect(callback.body).toContain(says);
      expect(await signedIn(agent)).toBe(false);
      expect((await signIn()).callback.response.status).toBe(303);
    });
  }

  it('[#scenario-slow] answers a token endpoint slower than its time limit, then recovers', async () => {
    // The kit's app gives the identity server 3 s (HTTP_TIMEOUT_SECONDS).
    await set('slow', { seconds: 5 });
    const started = performance.now();
    const { callback } = await signIn();
    expect(performance.now() - started).toBeLessThan(4900);
    expect(callback.response.status).toBe(503);
    expect(callback.body).toContain('cannot be reached');
    expect((await signIn()).callback.response.status).toBe(303);
  });

  for (const tagged of [
    '[#scenario-userinfo-unauthorized] userinfo-unauthorized',
    '[#scenario-userinfo-server-error] userinfo-server-error',
  ]) {
    const name = nameOf(tagged);
    it(`${tagged}: signs in without UserInfo when it fails (the id_token names the user)`, async () => {
      await set(name);
      const { agent, callback } = await signIn();
      expect(callback.response.status).toBe(303);
      expect(await signedIn(agent)).toBe(true);
    });
  }
});

describe('discovery and keys, for an app that has not fetched them yet', () => {
  let fresh: RunningKit;
  beforeAll(async () => {
    fresh = await startKit();
  });
  afterAll(() => fresh.close());

  it('[#scenario-discovery-issuer-mismatch] [#scenario-jwks-unavailable] refuses a discovery document naming another issuer, fails cleanly without keys, then signs in', async () => {
    const attempt = async () => {
      const agent = new UserAgent();
      const login = await agent.request(`${fresh.appUrl}/login?returnTo=/profile`);
      return { agent, login };
    };
    await fresh.idp.scenarios.set({ clientId: fresh.client.id, name: 'discovery-issuer-mismatch' });
    const mismatch = await attempt();
    expect(mismatch.login.response.status).toBeGreaterThanOrEqual(400);
    expect(mismatch.login.body).toContain('-not-this-one');
    expect(mismatch.login.body).not.toMatch(/\n\s+at [\w.<>]+ \(/);

    await fresh.idp.scenarios.set({ clientId: fresh.client.id, name: 'jwks-unavailable', times: 3 });
    const started = await attempt();
    const { response } = await started.agent.signIn(
      started.login.response.headers.get('location') as string,
      alice,
    );
    const callback = await started.agent.request(`${fresh.appUrl}/callback`, { form: response.fields });
    expect(callback.response.status).toBeGreaterThanOrEqual(400);
    expect(callback.body).not.toMatch(/\n\s+at [\w.<>]+ \(/);
    await fresh.idp.scenarios.clearAll();

    const agent = await signInThroughApp(fresh.appUrl, alice);
    expect((await agent.request(`${fresh.appUrl}/profile`)).response.status).toBe(200);
  });
});
