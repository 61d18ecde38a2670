/**
 * The administration client (client credentials, RFC 6749 4.4): a token for the tenant with the client's roles,
 * no user and no refresh token; only the ocsapi scope.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { adminClient, alice, carol, dave, tenant } from '../../harness/test-seed.ts';
import { tenantRoles } from '../../mock-idp/src/index.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

describe('client_credentials grant', () => {
  it('[#role-type] issues an ocsapi access token for the tenant, with the role ids of the client and no user', async () => {
    const response = await tokenRequest(idp, { grant_type: 'client_credentials' }, adminClient);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'ocsapi' });
    expect(response.body.refresh_token).toBeUndefined();
    expect(response.body.id_token).toBeUndefined();
    const claims = decodeJwt(response.body.access_token as string);
    expect(claims).toMatchObject({
      aud: 'ocsapi',
      tid: tenant.id,
      client_id: adminClient.id,
      role_type: [tenantRoles['Tenant Administrator'], tenantRoles['Tenant Member']],
    });
    expect(claims).not.toHaveProperty('role');
    expect(claims.sub).toBeUndefined();
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it.each(['openid', 'offline_access', 'ocsapi superpowers'])(
    'refuses scope=%s with invalid_scope',
    async (scope) => {
      const response = await tokenRequest(idp, { grant_type: 'client_credentials', scope }, adminClient);
      expect(response.body.error).toBe('invalid_scope');
    },
  );

  it('refuses the authorization_code and refresh_token grants to the administration client', async () => {
    const grants: Record<string, string>[] = [
      { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://app.example.com/callback' },
      { grant_type: 'refresh_token', refresh_token: 'x' },
    ];
    for (const grant of grants) {
      expect((await tokenRequest(idp, grant, adminClient)).body.error).toBe('unauthorized_client');
    }
  });
});

describe("roles in users' access tokens", () => {
  it.each([
    ['a Tenant Member', alice, [tenantRoles['Tenant Member']]],
    ['a Tenant Administrator', carol, [tenantRoles['Tenant Administrator'], tenantRoles['Tenant Member']]],
  ] as const)('[#role-type] carries the role ids of %s as role_type', async (_who, user, roleIds) => {
    const { tokens } = await signInForTokens(idp, { user });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: user.id, role_type: roleIds });
  });

  it('[#role-type] carries no role_type for a user without tenant roles', async () => {
    const { tokens } = await signInForTokens(idp, { user: dave });
    expect(decodeJwt(tokens.access_token)).not.toHaveProperty('role_type');
  });
});
