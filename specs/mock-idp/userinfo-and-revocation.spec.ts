/**
 * The UserInfo endpoint (OIDC Core 5.3), with tenant roles as `role_type` ids, and token revocation (RFC 7009) as
 * IdentityServer does it: refresh tokens can be revoked, JWT access tokens cannot.
 * OpenID Foundation: oidcc-userinfo-get, oidcc-userinfo-post-header, oidcc-scope-profile, oidcc-scope-email.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  adminClient,
  alice,
  carol,
  offlineClient,
  otherTenantClient,
  tenant,
} from '../../harness/test-seed.ts';
import { tenantRoles } from '../../mock-idp/src/index.ts';

const tenantMemberId = tenantRoles['Tenant Member'];
const tenantAdministratorId = tenantRoles['Tenant Administrator'];

let idp: TestIdp;
let userinfo: string;
beforeAll(async () => {
  idp = await startTestIdp();
  userinfo = `${idp.issuer}/connect/userinfo`;
});
afterAll(() => idp.dispose());

describe('userinfo', () => {
  it('[#role-type] oidcc-scope-profile and oidcc-scope-email: returns the claims the scopes allow, roles as role_type ids', async () => {
    const { tokens } = await signInForTokens(idp);
    const response = await callApi(userinfo, tokens.access_token);
    expect(response.body).toEqual({
      sub: alice.id,
      tid: tenant.id,
      role_type: [tenantMemberId],
      name: alice.name,
      given_name: alice.givenName,
      family_name: alice.familyName,
      email: alice.email,
      email_verified: true,
    });
  });

  it('[#role-type] returns sub, tid and the role ids with the openid scope alone', async () => {
    const { tokens } = await signInForTokens(idp, { params: { scope: 'openid' } });
    expect((await callApi(userinfo, tokens.access_token)).body).toEqual({
      sub: alice.id,
      tid: tenant.id,
      role_type: [tenantMemberId],
    });
  });

  it('[#role-type] carries every role of the user, by id, and no role names', async () => {
    const { tokens } = await signInForTokens(idp, { user: carol });
    const body = (await callApi(userinfo, tokens.access_token)).body as Record<string, unknown>;
    expect(body.role_type).toEqual([tenantAdministratorId, tenantMemberId]);
    expect(JSON.stringify(body)).not.toContain('Tenant Administrator');
    expect(body).not.toHaveProperty('role');
  });

  it('oidcc-userinfo-post-header: accepts POST with the bearer header', async () => {
    const { tokens } = await signInForTokens(idp);
    const response = await fetch(userinfo, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(200);
  });

  it('[#userinfo-token-usage] accepts the access token as a form body field, and never from the query', async () => {
    const { tokens } = await signInForTokens(idp);
    const inForm = await fetch(userinfo, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: tokens.access_token }),
    });
    expect(inForm.status).toBe(200);
    expect(((await inForm.json()) as { sub: string }).sub).toBe(alice.id);
    const inQuery = await fetch(`${userinfo}?access_token=${tokens.access_token}`);
    expect(inQuery.status).toBe(401);
  });

  it('[#access-token-scope] writes scope as a JSON array in access tokens, and still reads one written as a string', async () => {
    const { tokens } = await signInForTokens(idp, { params: { scope: 'openid profile ocsapi' } });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.scope).toEqual(['openid', 'profile', 'ocsapi']);
    const asString = await idp.context.keys.sign({ ...claims, scope: 'openid profile ocsapi' }, 'at+jwt');
    const answer = await callApi(userinfo, asString);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ sub: alice.id, name: alice.name });
  });

  it('[#access-token-format] gives each access token a jti of 16 random bytes in hex, and an aud only for the API scope', async () => {
    const withApi = decodeJwt(
      (await signInForTokens(idp, { params: { scope: 'openid ocsapi' } })).tokens.access_token,
    );
    expect(withApi.jti).toMatch(/^[0-9A-F]{32}$/);
    expect(withApi.aud).toBe('ocsapi');
    const withoutApi = decodeJwt(
      (await signInForTokens(idp, { params: { scope: 'openid profile' } })).tokens.access_token,
    );
    expect(withoutApi.jti).toMatch(/^[0-9A-F]{32}$/);
    expect(withoutApi.jti).not.toBe(withApi.jti);
    expect(withoutApi).not.toHaveProperty('aud');
  });

  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await callApi(userinfo);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 403 insufficient_scope to a client-credentials token (no user)', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'client_credentials' }, adminClient);
    const response = await callApi(userinfo, body.access_token as string);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'insufficient_scope' });
  });
});

describe('revocation (RFC 7009)', () => {
  const revoke = (token: string, client: { id: string; secret: string } | null = offlineClient) =>
    tokenRequest(idp, { token }, client, 'revocation');
  const refresh = (token: string) =>
    tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: token }, offlineClient);

  it('[#refresh-revocable] revokes a refresh token: it no longer refreshes; the JWT access token lives on', async () => {
    const { tokens } = await signInForTokens(idp);
    expect((await revoke(tokens.refresh_token as string)).status).toBe(200);
    expect((await refresh(tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    expect((await callApi(userinfo, tokens.access_token)).status).toBe(200);
  });

  it('[#access-token-not-revocable] answers 200 to revoking an access token, which stays valid, as does the refresh token', async () => {
    const { tokens } = await signInForTokens(idp);
    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect((await callApi(userinfo, tokens.access_token)).status).toBe(200);
    expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
  });

  it("answers 200 but revokes nothing when a client presents another client's token", async () => {
    const { tokens } = await signInForTokens(idp);
    expect((await revoke(tokens.refresh_token as string, otherTenantClient)).status).toBe(200);
    expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
  });

  it('answers 200 to an unknown token', async () => {
    expect((await revoke('no-such-token')).status).toBe(200);
  });

  it('[#invalid-client-400] requires client authentication (400 invalid_client)', async () => {
    expect(await revoke('anything', null)).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('requires the token parameter', async () => {
    const response = await tokenRequest(idp, {}, offlineClient, 'revocation');
    expect(response.body.error).toBe('invalid_request');
  });
});
