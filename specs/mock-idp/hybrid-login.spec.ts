/**
 * A complete hybrid login with plain HTTP requests: authorize -> login form -> form_post -> code exchange ->
 * refresh -> userinfo -> end session. The rule-by-rule specs live beside this one. Runs against any target
 * with a test user (specs/support/target.ts).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { callApi, signInForCode, tokenRequest } from '../../harness/hybrid-flow.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();

describe('complete hybrid login over plain HTTP (oidcc-server, hybrid code id_token)', () => {
  it('[#hybrid-response] signs in, exchanges the code, refreshes, calls userinfo and the data API, and signs out', async (ctx) => {
    need(ctx, target(), 'test-user');
    const { client, user, tenantId, issuer } = target();
    const front = await signInForCode(target(), { client, user: user ?? undefined });
    const subject = decodeJwt(front.fields.id_token as string).sub;
    expect(front.action).toBe(client.redirectUri);
    expect(front.fields.state).toBe(front.state);
    // RFC 9207: an identity server that names itself in the response must name itself rightly.
    if (front.fields.iss !== undefined) expect(front.fields.iss).toBe(issuer);

    const exchange = await tokenRequest(
      target(),
      {
        grant_type: 'authorization_code',
        code: front.code,
        redirect_uri: client.redirectUri,
        code_verifier: front.verifier,
      },
      client,
    );
    expect(exchange.status).toBe(200);
    expect(exchange.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    const accessToken = exchange.body.access_token as string;
    expect(decodeJwt(accessToken)).toMatchObject({
      sub: subject,
      tid: tenantId,
      client_id: client.id,
    });

    const refreshed = await tokenRequest(
      target(),
      { grant_type: 'refresh_token', refresh_token: exchange.body.refresh_token as string },
      { ...client, method: 'post' },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(exchange.body.refresh_token);

    const userinfo = await callApi(`${issuer}/connect/userinfo`, refreshed.body.access_token as string);
    expect(userinfo).toMatchObject({
      status: 200,
      body: { sub: subject, email: user?.email },
    });

    const namespaces = await callApi(
      `${target().apiBase}/api/v1/Tenants/${tenantId}/Namespaces`,
      accessToken,
    );
    expect(namespaces.status).toBe(200);
    expect(namespaces.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ Id: expect.any(String) })]),
    );

    const logout = new URL(`${issuer}/connect/endsession`);
    logout.searchParams.set('id_token_hint', exchange.body.id_token as string);
    logout.searchParams.set('post_logout_redirect_uri', client.postLogoutRedirectUri);
    logout.searchParams.set('state', 'bye');
    const signedOut = await front.agent.request(logout.href);
    expect([302, 303]).toContain(signedOut.response.status);
    expect(signedOut.response.headers.get('location')).toBe(`${client.postLogoutRedirectUri}?state=bye`);
    if (target().mock) expect(front.agent.cookie(issuer, 'mockidp_session')).toBeUndefined();
  });
});
