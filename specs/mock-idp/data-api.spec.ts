/**
 * Rule: the Data Hub API (`GET /api/v1/Tenants/{tenantId}/Namespaces`) answers only a valid, unexpired access
 * token issued with the ocsapi scope, of a Tenant Member of that tenant; a token of another tenant, or of a user
 * without the role, is forbidden. Expiry is observed by the API at exactly the client's token lifetime; JWT access
 * tokens cannot be revoked, and signing out does not end them (IdentityServer).
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  adminClient,
  bob,
  dave,
  offlineClient,
  onlineClient,
  otherTenant,
  otherTenantClient,
  rolelessServiceClient,
  tenant,
} from '../../harness/test-seed.ts';

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

  it('[#access-token-not-revocable] keeps accepting an access token that was revoked, until it expires', async () => {
    const { tokens } = await signInForTokens(idp);
    const revoked = await tokenRequest(
      idp,
      { token: tokens.access_token, token_type_hint: 'access_token' },
      offlineClient,
      'revocation',
    );
    expect(revoked.status).toBe(200);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
  });

  it('[#access-token-not-revocable] keeps accepting an access token after the user signed out at the identity server', async () => {
    const { tokens, front } = await signInForTokens(idp);
    const signedOut = await front.agent.request(
      `${idp.issuer}/connect/endsession?id_token_hint=${encodeURIComponent(tokens.id_token)}`,
    );
    expect(signedOut.response.status).toBe(200);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
  });

  it('[#namespaces-api] answers 403 to a user of the tenant who holds no tenant role', async () => {
    const { tokens } = await signInForTokens(idp, { user: dave });
    const response = await callApi(namespaces, tokens.access_token);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      Error: 'Forbidden',
      Reason: expect.stringMatching(/Tenant Member/),
    });
  });

  it('[#namespaces-api] answers a client-credentials client only with the Tenant Member role', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'client_credentials' }, rolelessServiceClient);
    expect((await callApi(namespaces, body.access_token as string)).status).toBe(403);
  });
});

describe('the Namespace shape of the tenant-namespaces reference page', () => {
  it('[#namespaces-api] lists items with Id, Region, Self, Description, State (1 Active), Owner, AccessControl, RegionId, InstanceId', async () => {
    const { tokens } = await signInForTokens(idp);
    const [first] = (await callApi(namespaces, tokens.access_token)).body as Record<string, unknown>[];
    expect(first).toEqual({
      Id: 'production',
      Region: expect.any(String),
      Self: `${namespaces}/production`,
      Description: expect.any(String),
      State: 1,
      Owner: { Type: expect.any(Number), ObjectId: expect.any(String), TenantId: tenant.id },
      AccessControl: { RoleTrusteeAccessControlEntries: expect.any(Array) },
      RegionId: expect.any(String),
      InstanceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('[#namespaces-api] filters by region: its own region keeps them all, another region none', async () => {
    const { tokens } = await signInForTokens(idp);
    const all = (await callApi(namespaces, tokens.access_token)).body as {
      Region: string;
      RegionId: string;
    }[];
    const region = all[0]?.RegionId as string;
    expect(
      ((await callApi(`${namespaces}?region=${region}`, tokens.access_token)).body as unknown[]).length,
    ).toBe(3);
    expect((await callApi(`${namespaces}?region=nowhere`, tokens.access_token)).body).toEqual([]);
  });
});

describe('token lifetime observed by the API', () => {
  it('[#token-lifetime-issued] accepts a 60 s token at 59 s and refuses it at 60 s', async () => {
    const { tokens } = await signInForTokens(idp, {
      client: onlineClient,
      params: { scope: 'openid ocsapi' },
    });
    // Counted from the token's own iat (whole seconds), so a slow machine cannot make the 59th second the 60th.
    const issuedAt = decodeJwt(tokens.access_token).iat as number;
    idp.clock.advance(issuedAt + 59 - idp.clock.now() / 1000);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
    idp.clock.advance(1);
    const expired = await callApi(namespaces, tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
  });

  it('[#token-lifetime-issued] accepts a default token at 3599 s and refuses it at 3600 s', async () => {
    const { tokens } = await signInForTokens(idp);
    idp.clock.advance((decodeJwt(tokens.access_token).iat as number) + 3599 - idp.clock.now() / 1000);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
    idp.clock.advance(1);
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(401);
  });
});
