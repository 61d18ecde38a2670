/**
 * Sessions in Redis (REDIS_URL), against a real redis-server: the session lives in Redis, not in the process, so
 * a second instance of the app serves the same signed-in user, refreshes for them, and signs them out.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSettings, freePort, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { type RunningRedis, startRedis } from '../../harness/redis-server.ts';
import { alice } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { AdjustableClock } from '../../mock-idp/src/index.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import { type RunningSampleApp, startSampleApp } from '../../sample-app/src/server.ts';

let redis: RunningRedis;
let kit: RunningKit;
let secondInstance: RunningSampleApp;
const secondClock = new AdjustableClock();
const sessionSecret = 'a-session-secret-shared-by-every-instance';

beforeAll(async () => {
  redis = await startRedis();
  kit = await startKit({ env: { REDIS_URL: redis.url, SESSION_SECRET: sessionSecret } });
  const { config } = loadConfig({
    ...appSettings(kit.idp, kit.client, await freePort()),
    SESSION_SECRET: sessionSecret,
    REDIS_URL: redis.url,
    // Its own port, behind the first instance's URL, as instances behind a balancer are.
    TRUST_PROXY: 'true',
  });
  secondInstance = await startSampleApp(config, { clock: secondClock });
});
afterAll(async () => {
  await secondInstance?.close();
  await kit?.close();
  await redis?.stop();
});

const signIn = () => signInThroughApp(kit.app.listening, alice);

/** The same browser cookie, presented to another instance behind the same site. */
function sessionCookie(agent: UserAgent): string {
  const value = agent.cookie(kit.app.listening, 'hck.sid');
  if (!value) throw new Error('no session cookie');
  return `hck.sid=${value}`;
}

const get = (base: string, path: string, cookie: string) =>
  fetch(base + path, { headers: { cookie }, redirect: 'manual' });

describe('sessions in Redis', () => {
  it('keeps the session in Redis, with the tokens, and not in the cookie', async () => {
    const agent = await signIn();
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = await client.keys('hybrid-client-kit:sess:*');
      expect(keys.length).toBeGreaterThan(0);
      const stored = await client.get(keys[0] as string);
      expect(stored).toContain('accessToken');
    } finally {
      await client.close();
    }
    expect(sessionCookie(agent).length).toBeLessThan(120);
  });

  it('serves the signed-in user from a second instance, which can refresh and sign out', async () => {
    const agent = await signIn();
    const cookie = sessionCookie(agent);
    const profile = await get(secondInstance.listening, '/profile', cookie);
    expect(profile.status).toBe(200);
    const html = await profile.text();
    expect(html).toContain(alice.id);

    const csrf = UserAgent.csrfToken(html) ?? '';
    const refresh = await fetch(`${secondInstance.listening}/refresh`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(refresh.status).toBe(303);
    expect(await (await get(kit.app.listening, '/profile', cookie)).text()).toContain(
      'The access token was refreshed.',
    );

    const logout = await fetch(`${secondInstance.listening}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(logout.headers.get('location')).toContain(`${kit.idp.issuer}/connect/endsession`);
    expect((await get(kit.app.listening, '/profile', cookie)).status).toBe(303);
  });
});

describe('one refresh at a time across instances', () => {
  it('[#sample-refresh-across-instances] refreshes once at the identity server when both instances find the token due at once, and signs no one out', async () => {
    const agent = await signIn();
    const cookie = sessionCookie(agent);
    // Both instances' clocks reach the refresh margin (60 s before the 3600 s token expires).
    kit.appClock.advance(3600 - 30);
    secondClock.advance(3600 - 30);
    // The identity server's request log says how many refreshes reached it, and how each was answered.
    const before = (await kit.idp.requests.list()).at(-1)?.seq ?? 0;
    const calls = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        get(index % 2 ? secondInstance.listening : kit.app.listening, '/namespaces', cookie),
      ),
    );
    expect(calls.map((call) => call.status)).toEqual(Array(8).fill(200));
    const refreshes = (await kit.idp.requests.list({ endpoint: 'token', after: before })).filter(
      (entry) => entry.grantType === 'refresh_token',
    );
    expect(refreshes.map((entry) => entry.status)).toEqual([200]);
    for (const base of [kit.app.listening, secondInstance.listening])
      expect((await get(base, '/profile', cookie)).status).toBe(200);
  });

  it('[#sample-refresh-across-instances] [#sample-callback-once] redeems the code once when one callback reaches both instances at once', async () => {
    const agent = new UserAgent();
    const login = await agent.request(`${kit.app.listening}/login?returnTo=/profile`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
    const cookie = agent.cookieHeader(kit.app.listening);
    const before = (await kit.idp.requests.list()).at(-1)?.seq ?? 0;
    const deliver = (base: string) =>
      fetch(`${base}/callback`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(response.fields),
      });
    const answers = await Promise.all([deliver(kit.app.listening), deliver(secondInstance.listening)]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    const exchanges = (await kit.idp.requests.list({ endpoint: 'token', after: before })).filter(
      (entry) => entry.grantType === 'authorization_code',
    );
    expect(exchanges.map((entry) => entry.status)).toEqual([200]);
  });
});
