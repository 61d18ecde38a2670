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

const refusedAt = (point: string) =>
  scenarioCatalogue.filter(
    (scenario) =>
      scenario.expect === 'refuse' && (scenario.points as readonly string[]).every((each) => each === point),
  );

describe('forged authorization responses: refused before the code is redeemed', () => {
  for (const scenario of refusedAt('authorization')) {
    it(`[#scenario-${scenario.name}] refuses ${scenario.name}, and never redeems the code`, async () => {
      await set(scenario.name, scenario.name === 'sig-hs256' ? { clientSecret: kit.client.secret } : {});
      const since = await lastSeq();
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
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
  for (const scenario of [...refusedAt('token'), ...refusedAt('userinfo')]) {
    it(`[#scenario-${scenario.name}] refuses ${scenario.name}: no session`, async () => {
      await set(scenario.name);
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
      expect(await signedIn(agent)).toBe(false);
      const log = await kit.idp.requests.list({ clientId: kit.client.id });
      expect(log.some((entry) => entry.scenario === scenario.name)).toBe(true);
      expect((await signIn()).callback.response.status).toBe(303);
    });
  }
});

describe('forged refresh responses: the refreshed tokens are not kept', () => {
  for (const scenario of refusedAt('refresh')) {
    it(`[#scenario-${scenario.name}] refuses ${scenario.name}`, async () => {
      const agent = await signInThroughApp(kit.appUrl, alice);
      await set(scenario.name);
      const since = await lastSeq();
      const refresh = await postAppForm(agent, kit.appUrl, '/refresh');
      expect(refresh.response.status).toBeGreaterThanOrEqual(400);
      expect(refresh.body).not.toMatch(/\n\s+at [\w.<>]+ \(/);
      const log = await tokenRequestsSince(since);
      expect(log).toMatchObject([{ grantType: 'refresh_token', scenario: scenario.name }]);
      const profile = await agent.request(`${kit.appUrl}/profile`);
      // Either signed out, or still the user who signed in: never the forged subject.
      if (profile.response.status === 200) expect(profile.body).toContain(alice.name);
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
  for (const name of ['invalid_grant', 'invalid_client', 'server-error', 'malformed-json'] as const) {
    it(`[#scenario-${name}] answers ${name} at the code exchange with a readable page, then recovers`, async () => {
      await set(name);
      const { agent, callback } = await signIn();
      expectReadableRefusal(callback);
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
    expectReadableRefusal(callback);
    expect((await signIn()).callback.response.status).toBe(303);
  });

  for (const name of ['userinfo-unauthorized', 'userinfo-server-error'] as const) {
    it(`[#scenario-${name}] signs in without UserInfo when it fails (${name}): the id_token names the user`, async () => {
      await set(name);
      const { agent, callback } = await signIn();
      expect(callback.response.status).toBe(303);
      expect(await signedIn(agent)).toBe(true);
    });
  }
});
