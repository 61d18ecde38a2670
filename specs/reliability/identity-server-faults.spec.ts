/**
 * Faults around a signed-in session of the sample app, with the mock as its identity server: the identity server
 * goes away and comes back, and it rotates its signing key. The app says what happened and recovers by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAppForm, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice, carol } from '../../harness/test-seed.ts';
import type { UserAgent } from '../../harness/user-agent.ts';

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit?.close());

const app = () => kit.app.listening;
const namespaces = (agent: UserAgent) => agent.request(`${app()}/namespaces`);

describe('the identity server stops during a session and comes back', () => {
  it('reports the outage on refresh, keeps the session, and recovers when the server is back', async () => {
    const agent = await signInThroughApp(app(), alice);
    await kit.stopIdp();
    try {
      const refresh = await postAppForm(agent, app(), '/refresh');
      expect(refresh.response.status).toBe(503);
      expect(refresh.body).toContain('The identity server cannot be reached');
      // The session is intact: the profile still shows the user.
      expect((await agent.request(`${app()}/profile`)).body).toContain(alice.id);
    } finally {
      await kit.startIdp();
    }

    const refreshed = await postAppForm(agent, app(), '/refresh');
    expect(refreshed.response.status).toBe(303);
    const listed = await namespaces(agent);
    expect(listed.response.status).toBe(200);
    expect(listed.body).toContain('<li');
    await signInThroughApp(app(), carol);
  });

  it('names the identity server, not the API, when an API page cannot refresh its token', async () => {
    const agent = await signInThroughApp(app(), alice);
    // The access token is near its end, so the page has to refresh it first: that needs the identity server.
    kit.appClock.advance(3600);
    await kit.stopIdp();
    try {
      const page = await namespaces(agent);
      expect(page.response.status).toBe(503);
      expect(page.body).toContain('The identity server cannot be reached');
    } finally {
      await kit.startIdp();
    }
    expect((await namespaces(agent)).response.status).toBe(200);
  });
});

describe('the identity server rotates its signing key', () => {
  it('signs in with the new key at once; sessions from before keep their tokens working', async () => {
    const before = await signInThroughApp(app(), alice);
    const oldKid = kit.idp.context.keys.currentKid;

    const rotation = await fetch(`${kit.idp.origin}/__mock__/keys/rotate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const rotated = (await rotation.json()) as { kid: string; previousKid: string; published: string[] };
    expect(rotated.previousKid).toBe(oldKid);
    expect(rotated.kid).not.toBe(oldKid);
    expect(rotated.published).toEqual(expect.arrayContaining([oldKid, rotated.kid]));

    // The app cached the JWKS at its first sign-in; the id_token of this one names a key it has not seen, and
    // openid-client alone would refuse it for a minute.
    const after = await signInThroughApp(app(), carol);
    expect((await after.request(`${app()}/profile`)).body).toContain(carol.id);

    // Tokens signed with the old key are still accepted by the API, and refresh works on.
    expect((await namespaces(before)).response.status).toBe(200);
    expect((await postAppForm(before, app(), '/refresh')).response.status).toBe(303);
    expect((await namespaces(before)).response.status).toBe(200);
  });

  it('keeps the rotated key across a restart of the identity server', async () => {
    const kid = kit.idp.context.keys.currentKid;
    await kit.stopIdp();
    await kit.startIdp();
    expect(kit.idp.context.keys.currentKid).toBe(kid);
    await signInThroughApp(app(), alice);
  });
});
