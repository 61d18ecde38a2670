/**
 * Rule: the Data Hub API (`GET /api/v1/Tenants/{tenantId}/Namespaces`) answers only a valid, unexpired,
 * unrevoked access token issued with the ocsapi scope; a token of another tenant is forbidden.
 * Expiry is observed by the API at exactly the client's token lifetime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import {
  adminClient,
  bob,
  offlineClient,
  onlineClient,
  otherTenant,
  otherTenantClient,
  tenant,
} from '../support/test-seed.ts';

let idp: TestIdp;
let namespaces: string;
beforeAll(async () => {
  idp = await startTestIdp();
  namespaces = `${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
});
afterAll(() => idp.dispose());

describe('data API authorization', () => {
  it('lists the namespaces for a valid token of the tenant', async () => {
    const { tokens } = await signInForTokens(idp);
    const response = await callApi(namespaces, tokens.access_token);
    expect(response.status).toBe(200);
    expect((response.body as { Id: string }[]).map((namespace) => namespace.Id)).toEqual([
      'production',
      'staging',
      'development',
    ]);
  });

  it('answers 401 with a Bearer challenge and a Data Hub error body without a token', async () => {
    const response = await callApi(namespaces);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body).toMatchObject({
      OperationId: expect.any(String),
      Error: 'Unauthorized',
      Reason: expect.any(String),
      Resolution: expect.any(String),
    });
  });

  it.each(['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'])(
    'answers 401 to the malformed token %s',
    async (token) => {
      expect((await callApi(namespaces, token)).status).toBe(401);
    },
  );

  it('answers 401 to a token without the ocsapi scope', async () => {
    const { tokens } = await signInForTokens(idp, { params: { scope: 'openid profile' } });
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(401);
  });

  it('[#tenant] answers 403 to a token of another tenant', async () => {
    const { tokens } = await signInForTokens(idp, { client: otherTenantClient, user: bob });
    const response = await callApi(namespaces, tokens.access_token);
    expect(response.status).toBe(403);
    expect(
      (await callApi(`${idp.origin}/api/v1/Tenants/${otherTenant.id}/Namespaces`, tokens.access_token))
        .status,
    ).toBe(200);
  });

  it('answers a client-credentials token of the tenant', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'client_credentials' }, adminClient);
    expect((await callApi(namespaces, body.access_token as string)).status).toBe(200);
  });

  it('answers 401 to a revoked access token', async () => {
    const { tokens } = await signInForTokens(idp);
    await tokenRequest(
      idp,
      { token: tokens.access_token, token_type_hint: 'access_token' },
      offlineClient,
      'revocation',
    );
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(401);
  });
});

describe('[#token-lifetime-issued] token lifetime observed by the API', () => {
  it('accepts a 60 s token at 59 s and refuses it at 60 s', async () => {
    const { tokens } = await signInForTokens(idp, {
      client: onlineClient,
      params: { scope: 'openid ocsapi' },
    });
    idp.clock.advance(59);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
    idp.clock.advance(1);
    const expired = await callApi(namespaces, tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
  });

  it('accepts a default token at 3599 s and refuses it at 3600 s', async () => {
    const { tokens } = await signInForTokens(idp);
    idp.clock.advance(3599);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
    idp.clock.advance(1);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(401);
  });
});
