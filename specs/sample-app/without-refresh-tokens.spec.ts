/**
 * [#refresh-only-when-allowed] The HybridClients reference says refresh tokens are "not supported" for hybrid
 * clients, against the "Get started" page and AVEVA's sample. Under the mock's setting for that reading
 * (MOCK_IDP_HYBRID_REFRESH_TOKENS=false), a client with Allow Refresh Token that asks for offline_access gets no
 * refresh token, and the sample app, once the access token has expired, signs the user in again through the
 * identity server's open session: no login page, no error page, back on the page that was asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit({ hybridRefreshTokens: false, accessTokenLifetime: 60 });
});
afterAll(() => kit.close());

describe('hybrid clients without refresh tokens (MOCK_IDP_HYBRID_REFRESH_TOKENS=false)', () => {
  it('[#refresh-only-when-allowed] issues no refresh token though offline_access was granted, and the app signs in again at expiry', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    const exchange = kit.idp.context.requestLog.list({ endpoint: 'token' }).at(-1);
    expect(exchange).toMatchObject({ status: 200, grantType: 'authorization_code' });
    expect(kit.idp.context.store.refreshTokens.values().filter((t) => t.clientId === kit.client.id)).toEqual(
      [],
    );
    expect((await agent.request(`${kit.appUrl}/profile`)).body).toContain(
      'This client is not allowed refresh tokens',
    );

    kit.appClock.advance(61);
    const expired = await agent.request(`${kit.appUrl}/namespaces`);
    expect(expired.response.status).toBe(303);
    const login = await agent.request(
      new URL(expired.response.headers.get('location') as string, kit.appUrl).href,
    );
    // The identity server's session is still open: it answers at once, without a login page.
    const answer = await agent.request(login.response.headers.get('location') as string);
    expect(answer.body).not.toContain('name="password"');
    const callback = await agent.request(`${kit.appUrl}/callback`, {
      form: UserAgent.authorizationResponse(answer).fields,
    });
    expect(callback.response.headers.get('location')).toBe('/namespaces');
    const namespaces = await agent.request(`${kit.appUrl}/namespaces`);
    expect(namespaces.response.status).toBe(200);
    expect(
      kit.idp.context.requestLog.list({ endpoint: 'token' }).map((entry) => entry.grantType),
    ).not.toContain('refresh_token');
  });
});
