/**
 * The HybridClients administration API: Data Hub shapes (PascalCase), the documented limits, paging, PUT that
 * leaves absent or null properties alone, secrets returned once, and who may call it.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, adminToken } from '../support/admin-api.ts';
import {
  authorizationUrl,
  callApi,
  redeemCode,
  signInForCode,
  signInForTokens,
  tokenRequest,
} from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { adminClient, offlineClient, otherTenant, otherTenantClient, tenant } from '../support/test-seed.ts';
import { UserAgent } from '../support/user-agent.ts';

let idp: TestIdp;
let token: string | undefined;
let api: ReturnType<typeof adminApi>;
beforeAll(async () => {
  idp = await startTestIdp();
  token = await adminToken(idp);
  api = adminApi(idp.origin, () => token);
});
afterAll(() => idp.dispose());

const newClient = (overrides: Record<string, unknown> = {}) => ({
  Name: 'Created by the API',
  RedirectUris: ['https://new.example.com/callback'],
  PostLogoutRedirectUris: ['https://new.example.com/bye'],
  SecretDescription: 'first secret',
  ...overrides,
});

const expectDataHubError = (answer: { status: number; body: unknown }, status: number, reason?: RegExp) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({
    OperationId: expect.any(String),
    Error: expect.any(String),
    Reason: reason ? expect.stringMatching(reason) : expect.any(String),
    Resolution: expect.any(String),
  });
};

/** Signs alice in with a client created through the API, redeeming the code with the secret it returned. */
async function signInWith(client: { Id: string; RedirectUris: string[] }, secret: string) {
  const seeded = {
    id: client.Id,
    secret,
    redirectUri: client.RedirectUris[0] as string,
    postLogoutRedirectUri: '',
  };
  const front = await signInForCode(idp, { client: seeded, params: { scope: 'openid ocsapi' } });
  return redeemCode(idp, front, seeded);
}

describe('[#admin-api] authorization', () => {
  it('answers 401 without a token, with a Bearer challenge and a Data Hub error body', async () => {
    const answer = await adminApi(idp.origin, () => undefined)('GET', '');
    expectDataHubError(answer, 401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 to a malformed or expired token', async () => {
    expectDataHubError(await adminApi(idp.origin, () => 'garbage')('GET', ''), 401);
    const short = await adminToken(idp);
    idp.clock.advance(3600);
    expectDataHubError(await adminApi(idp.origin, () => short)('GET', ''), 401, /expired/);
    token = await adminToken(idp);
  });

  it("answers 403 to a token of another tenant's client", async () => {
    const otherAdmin = await adminToken(idp);
    expectDataHubError(
      await adminApi(idp.origin, () => otherAdmin, otherTenant.id)('GET', ''),
      403,
      /another tenant/,
    );
  });

  it('answers 403 to a token without the Tenant Administrator role (a signed-in user)', async () => {
    const { tokens } = await signInForTokens(idp);
    expectDataHubError(
      await adminApi(idp.origin, () => tokens.access_token)('GET', ''),
      403,
      /Tenant Administrator/,
    );
  });

  it('answers 404 for an unknown tenant', async () => {
    expectDataHubError(
      await adminApi(idp.origin, () => token, '99999999-9999-4999-8999-999999999999')('GET', ''),
      404,
    );
  });
});

describe('[#admin-api] creating a hybrid client', () => {
  it('[#secret-shown-once] [#secret-default-expiry] returns 201 with the secret once, its id and expiry, and the client; the client signs in at once', async () => {
    const created = await api('POST', '', newClient());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      Secret: expect.stringMatching(/^[\w-]{43,}$/),
      Id: 1,
      Description: 'first secret',
      Client: {
        Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        Name: 'Created by the API',
        Enabled: true,
        AccessTokenLifetime: 3600,
        AllowOfflineAccess: false,
        RedirectUris: ['https://new.example.com/callback'],
      },
    });
    const expiration = Date.parse(created.body.ExpirationDate);
    const inAYear = new Date(idp.clock.now());
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    expect(Math.abs(expiration - inAYear.getTime())).toBeLessThan(5000);

    const fetched = await api('GET', `/${created.body.Client.Id}`);
    expect(fetched.body).toEqual(created.body.Client);
    expect(JSON.stringify((await api('GET', `/${created.body.Client.Id}/Secrets`)).body)).not.toContain(
      created.body.Secret,
    );

    expect((await signInWith(created.body.Client, created.body.Secret)).status).toBe(200);
  });

  it('makes a secret that never expires with SecretExpirationDate null', async () => {
    const created = await api('POST', '', newClient({ SecretExpirationDate: null }));
    expect(created.body.ExpirationDate).toBeNull();
    const [secret] = (await api('GET', `/${created.body.Client.Id}/Secrets`)).body;
    expect(secret).toEqual({ Id: 1, Expiration: null, Expires: false, Description: 'first secret' });
  });

  it('takes a given GUID as its id, and refuses the same id twice with 409', async () => {
    const id = '0d15ea5e-0000-4000-8000-000000000001';
    expect((await api('POST', '', newClient({ Id: id }))).body.Client.Id).toBe(id);
    expectDataHubError(await api('POST', '', newClient({ Id: id })), 409);
    expectDataHubError(await api('POST', '', newClient({ Id: offlineClient.id })), 409);
  });

  it.each([
    ['a lifetime below 60', { AccessTokenLifetime: 59 }, /AccessTokenLifetime: must be at least 60/],
    ['a lifetime above 3600', { AccessTokenLifetime: 3601 }, /AccessTokenLifetime: must be at most 3600/],
    ['no redirect URL', { RedirectUris: [] }, /RedirectUris: at least one/],
    [
      '11 redirect URLs',
      { RedirectUris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) },
      /RedirectUris: at most 10/,
    ],
    [
      '11 logout URLs',
      { PostLogoutRedirectUris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) },
      /PostLogoutRedirectUris: at most 10/,
    ],
    ['a relative redirect URL', { RedirectUris: ['/callback'] }, /absolute URL/],
    ['a redirect URL with a fragment', { RedirectUris: ['https://a.example/cb#x'] }, /fragment/],
    ['a wildcard redirect URL', { RedirectUris: ['https://*.example.com/cb'] }, /wildcard/],
    [
      'a logout URL that is not http(s)',
      { PostLogoutRedirectUris: ['ftp://a.example/bye'] },
      /http or https/,
    ],
    ['no name', { Name: '' }, /Name/],
    ['a name that is not a string', { Name: 42 }, /Name/],
    ['a lifetime that is not a number', { AccessTokenLifetime: '3600' }, /AccessTokenLifetime/],
    ['an id that is not a GUID', { Id: 'my-client' }, /Id: must be a GUID/],
  ])(
    '[#token-lifetime-range] [#redirect-uri-limits] refuses %s with 400 and a Data Hub error',
    async (_case, overrides, reason) => {
      const before = (await api('GET', '')).headers.get('Total-Count');
      expectDataHubError(await api('POST', '', newClient(overrides)), 400, reason);
      expect((await api('GET', '')).headers.get('Total-Count')).toBe(before);
    },
  );

  it('refuses a body that is not JSON', async () => {
    expectDataHubError(await api('POST', '', '{"Name":'), 400);
  });
});

describe('[#admin-api] listing', () => {
  it("lists the tenant's hybrid clients with Total-Count, and pages with skip and count", async () => {
    const all = await api('GET', '');
    const total = Number(all.headers.get('Total-Count'));
    expect(total).toBe(all.body.length);
    expect(all.body.map((client: { Id: string }) => client.Id)).toContain(offlineClient.id);
    expect(all.body.map((client: { Id: string }) => client.Id)).not.toContain(otherTenantClient.id);
    expect(all.body.map((client: { Id: string }) => client.Id)).not.toContain(adminClient.id);

    const second = await api('GET', '?skip=1&count=1');
    expect(second.body).toEqual([all.body[1]]);
    expect(second.headers.get('Total-Count')).toBe(String(total));
  });

  it('answers HEAD with Total-Count and no body', async () => {
    const head = await api('HEAD', '');
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('Total-Count'))).toBeGreaterThan(0);
    expect(head.body).toBeNull();
  });

  it.each(['?skip=-1', '?count=abc', '?count=5000'])('refuses paging %s', async (query) => {
    expectDataHubError(await api('GET', query), 400);
  });

  it("answers 404 for an unknown client, and for another tenant's client", async () => {
    expectDataHubError(await api('GET', '/00000000-0000-4000-8000-000000000000'), 404);
    expectDataHubError(await api('GET', `/${otherTenantClient.id}`), 404);
  });
});

describe('[#admin-api] updating', () => {
  it('[#client-put] leaves absent and null properties unchanged', async () => {
    const { body } = await api('POST', '', newClient({ AllowOfflineAccess: true, Tags: ['a'] }));
    const id = body.Client.Id;
    const updated = await api('PUT', `/${id}`, { Name: 'Renamed', Tags: null, RedirectUris: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...body.Client, Name: 'Renamed' });
  });

  it('applies a new token lifetime to the tokens issued after it', async () => {
    const { body } = await api('POST', '', newClient());
    await api('PUT', `/${body.Client.Id}`, { AccessTokenLifetime: 600 });
    const tokens = await signInWith(body.Client, body.Secret);
    const claims = decodeJwt(tokens.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it('refuses an invalid change and keeps the client as it was', async () => {
    const { body } = await api('POST', '', newClient());
    expectDataHubError(
      await api('PUT', `/${body.Client.Id}`, { AccessTokenLifetime: 10 }),
      400,
      /AccessTokenLifetime/,
    );
    expect((await api('GET', `/${body.Client.Id}`)).body.AccessTokenLifetime).toBe(3600);
  });

  it('can disable a client: it can no longer sign users in', async () => {
    const { body } = await api('POST', '', newClient());
    await api('PUT', `/${body.Client.Id}`, { Enabled: false });
    const hop = await new UserAgent().request(
      authorizationUrl(idp, { id: body.Client.Id, redirectUri: body.Client.RedirectUris[0] }),
    );
    expect(hop.response.status).toBe(400);
  });
});

describe('[#client-deletion] deleting', () => {
  it('stops sign-ins at once; access tokens live until they expire; refresh tokens work for one more hour', async () => {
    const { body } = await api('POST', '', newClient({ AllowOfflineAccess: true }));
    const client = {
      id: body.Client.Id,
      secret: body.Secret,
      redirectUri: body.Client.RedirectUris[0],
      postLogoutRedirectUri: '',
    };
    const front = await signInForCode(idp, { client, params: { scope: 'openid ocsapi offline_access' } });
    const tokens = await redeemCode(idp, front, client);

    expect((await api('DELETE', `/${client.id}`)).status).toBe(204);
    expectDataHubError(await api('GET', `/${client.id}`), 404);
    expect((await new UserAgent().request(authorizationUrl(idp, client))).response.status).toBe(400);

    const namespaces = `${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
    expect((await callApi(namespaces, tokens.body.access_token as string)).status).toBe(200);

    idp.clock.advance(59 * 60);
    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string },
      client,
    );
    expect(refreshed.status).toBe(200);
    idp.clock.advance(60);
    const late = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token as string },
      client,
    );
    expect(late).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    token = await adminToken(idp);
  });
});

describe('[#admin-api] secrets', () => {
  async function createdClient() {
    const { body } = await api('POST', '', newClient());
    return { id: body.Client.Id as string, firstSecret: body.Secret as string, client: body.Client };
  }

  it('[#secret-rotation] [#secret-shown-once] adds a secret, returned once, and both secrets authenticate (rotation)', async () => {
    const { id, firstSecret, client } = await createdClient();
    const added = await api('POST', `/${id}/Secrets`, {
      Description: 'rotation',
      Expiration: '2099-01-01T00:00:00Z',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      Secret: expect.any(String),
      Id: 2,
      Description: 'rotation',
      Expires: true,
      Expiration: '2099-01-01T00:00:00.000Z',
    });
    for (const secret of [firstSecret, added.body.Secret])
      expect((await signInWith(client, secret)).status).toBe(200);
    const listed = await api('GET', `/${id}/Secrets`);
    expect(listed.headers.get('Total-Count')).toBe('2');
    expect(JSON.stringify(listed.body)).not.toContain(added.body.Secret);
  });

  it('[#secret-deleted] deletes a secret: it no longer authenticates, the other still does', async () => {
    const { id, firstSecret, client } = await createdClient();
    const added = await api('POST', `/${id}/Secrets`, { Description: 'second', Expires: false });
    expect((await api('DELETE', `/${id}/Secrets/1`)).status).toBe(204);
    expect((await signInWith(client, firstSecret)).status).toBe(401);
    expect((await signInWith(client, added.body.Secret)).status).toBe(200);
    expectDataHubError(await api('GET', `/${id}/Secrets/1`), 404);
  });

  it('[#secret-expired] updates a secret: an expiration in the past makes it stop authenticating', async () => {
    const { id, firstSecret, client } = await createdClient();
    const updated = await api('PUT', `/${id}/Secrets/1`, { Expiration: '2020-01-01T00:00:00Z' });
    expect(updated.body).toMatchObject({ Id: 1, Expires: true, Description: 'first secret' });
    expect((await signInWith(client, firstSecret)).status).toBe(401);
    await api('PUT', `/${id}/Secrets/1`, { Expires: false });
    expect((await signInWith(client, firstSecret)).status).toBe(200);
  });

  it.each([
    ['Expires true without Expiration', { Description: 'x', Expires: true }, /Expires is true/],
    [
      'Expires false with an Expiration',
      { Description: 'x', Expires: false, Expiration: '2099-01-01' },
      /Expires is false/,
    ],
  ])('refuses %s with 400', async (_case, body, reason) => {
    const { id } = await createdClient();
    expectDataHubError(await api('POST', `/${id}/Secrets`, body), 400, reason);
  });

  it('[#secret-rotation] refuses an eleventh secret', async () => {
    const { id } = await createdClient();
    for (let i = 2; i <= 10; i += 1)
      expect((await api('POST', `/${id}/Secrets`, { Description: `s${i}` })).status).toBe(201);
    expectDataHubError(
      await api('POST', `/${id}/Secrets`, { Description: 'eleventh' }),
      400,
      /at most 10 secrets/,
    );
  });

  it('answers 404 for an unknown secret and 400 for a secret id that is not a number', async () => {
    const { id } = await createdClient();
    expectDataHubError(await api('GET', `/${id}/Secrets/7`), 404);
    expectDataHubError(await api('DELETE', `/${id}/Secrets/7`), 404);
    expectDataHubError(await api('GET', `/${id}/Secrets/first`), 400);
  });
});
