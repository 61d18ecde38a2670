/**
 * A complete hybrid login with plain HTTP requests: authorize -> login form -> form_post -> code exchange ->
 * refresh -> userinfo -> end session. The rule-by-rule specs live beside this one.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForCode, tokenRequest } from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { alice, offlineClient, tenant } from '../support/test-seed.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

describe('[#hybrid-response] complete hybrid login over plain HTTP (oidcc-server, hybrid code id_token)', () => {
  it('signs in, exchanges the code, refreshes, calls userinfo and the data API, and signs out', async () => {
    const front = await signInForCode(idp);
    expect(front.action).toBe(offlineClient.redirectUri);
    expect(front.fields.state).toBe(front.state);
    expect(front.fields.iss).toBe(idp.issuer);

    const exchange = await tokenRequest(
      idp,
      {
        grant_type: 'authorization_code',
        code: front.code,
        redirect_uri: offlineClient.redirectUri,
        code_verifier: front.verifier,
      },
      { id: offlineClient.id, secret: offlineClient.secret },
    );
    expect(exchange.status).toBe(200);
    expect(exchange.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const accessToken = exchange.body.access_token as string;
    expect(decodeJwt(accessToken)).toMatchObject({
      sub: alice.id,
      tid: tenant.id,
      client_id: offlineClient.id,
    });

    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: exchange.body.refresh_token as string },
      { id: offlineClient.id, secret: offlineClient.secret, method: 'post' },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(exchange.body.refresh_token);

    const userinfo = await callApi(`${idp.issuer}/connect/userinfo`, refreshed.body.access_token as string);
    expect(userinfo).toMatchObject({
      status: 200,
      body: { sub: alice.id, email: alice.email, name: alice.name },
    });

    const namespaces = await callApi(`${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`, accessToken);
    expect(namespaces.status).toBe(200);
    expect(namespaces.body).toEqual(expect.arrayContaining([expect.objectContaining({ Id: 'production' })]));

    const logout = new URL(`${idp.issuer}/connect/endsession`);
    logout.searchParams.set('id_token_hint', exchange.body.id_token as string);
    logout.searchParams.set('post_logout_redirect_uri', offlineClient.postLogoutRedirectUri);
    logout.searchParams.set('state', 'bye');
    const signedOut = await front.agent.request(logout.href);
    expect(signedOut.response.status).toBe(303);
    expect(signedOut.response.headers.get('location')).toBe(
      `${offlineClient.postLogoutRedirectUri}?state=bye`,
    );
    expect(front.agent.cookie(idp.issuer, 'mockidp_session')).toBeUndefined();
  });
});
