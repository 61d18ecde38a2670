/**
 * [#sample-revokes-at-sign-out] against the real mock: the sign-out revokes the session's refresh token before it
 * sends the browser to end the session (the mock's request log says in which order, and no grant of the client is
 * left), and revokes nothing when the client has no refresh token. (What the app does when revocation fails is in
 * sign-out.spec.ts, against a scripted server.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAppForm, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';

const grantsOf = (kit: RunningKit) =>
  kit.idp.context.store.grants.values().filter((grant) => grant.clientId === kit.client.id);

describe('a client with refresh tokens', () => {
  let kit: RunningKit;
  beforeAll(async () => {
    kit = await startKit();
  });
  afterAll(() => kit.close());

  it('[#sample-revokes-at-sign-out] revokes the refresh token at the identity server, then sends the browser to end the session', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    expect(grantsOf(kit)).toHaveLength(1);
    const since = (await kit.idp.requests.list()).at(-1)?.seq ?? 0;
    const hop = await postAppForm(agent, kit.appUrl, '/logout');
    expect(hop.response.status).toBe(303);
    const endSession = hop.response.headers.get('location') as string;
    expect(endSession).toContain('/connect/endsession');
    expect(await kit.idp.requests.list({ clientId: kit.client.id, after: since })).toMatchObject([
      { endpoint: 'revocation', method: 'POST', status: 200 },
    ]);
    expect(grantsOf(kit)).toEqual([]);
    await agent.request(endSession);
    const log = await kit.idp.requests.list({ after: since });
    expect(log.map((entry) => entry.endpoint)).toEqual(['revocation', 'end_session']);
  });
});

describe('a client without refresh tokens', () => {
  let kit: RunningKit;
  beforeAll(async () => {
    kit = await startKit({ allowOfflineAccess: false, scopes: 'openid profile email ocsapi' });
  });
  afterAll(() => kit.close());

  it('[#sample-revokes-at-sign-out] revokes nothing', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    const since = (await kit.idp.requests.list()).at(-1)?.seq ?? 0;
    await postAppForm(agent, kit.appUrl, '/logout');
    expect(await kit.idp.requests.list({ endpoint: 'revocation', after: since })).toEqual([]);
  });
});
