/**
 * The HybridClients administration API: Data Hub shapes (PascalCase), the documented limits, paging, PUT that
 * leaves absent or null properties alone, secrets returned once, and who may call it.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  callApi,
  redeemCode,
  signInForCode,
  signInForTokens,
  tokenRequest,
} from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  adminClient,
  alice,
  carol,
  dave,
  offlineClient,
  otherTenant,
  otherTenantClient,
  rolelessServiceClient,
  tenant,
} from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { validSettings } from '../../mock-idp/src/domain/client-administration.ts';
import { handleHash } from '../../mock-idp/src/protocol/random.ts';
import { adminApi, adminToken } from '../support/admin-api.ts';

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

/** A client created through the API with Allow Refresh Token, and the tokens of alice signed in with it. */
async function signedInWithNewClient() {
  const { body } = await api('POST', '', newClient({ AllowOfflineAccess: true }));
  const client = {
    id: body.Client.Id as string,
    secret: body.Secret as string,
    redirectUri: body.Client.RedirectUris[0] as string,
    postLogoutRedirectUri: '',
  };
  const front = await signInForCode(idp, { client, params: { scope: 'openid ocsapi offline_access' } });
  return { client, tokens: await redeemCode(idp, front, client) };
}

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

describe('authorization', () => {
  it('[#admin-api] answers 401 without a token, with a Bearer challenge and a Data Hub error body', async () => {
    const answer = await adminApi(idp.origin, () => undefined)('GET', '');
    expectDataHubError(answer, 401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('[#admin-api] answers 401 to a malformed or expired token', async () => {
    expectDataHubError(await adminApi(idp.origin, () => 'garbage')('GET', ''), 401);
    const short = await adminToken(idp);
    idp.clock.advance(3600);
    expectDataHubError(await adminApi(idp.origin, () => short)('GET', ''), 401, /expired/);
    token = await adminToken(idp);
  });

  it("[#admin-api] answers 403 to a token of another tenant's client", async () => {
    const otherAdmin = await adminToken(idp);
    expectDataHubError(
      await adminApi(idp.origin, () => otherAdmin, otherTenant.id)('GET', ''),
      403,
      /another tenant/,
    );
  });
});

describe('who may call what: the roles the reference page lists per operation', () => {
  /** A user's access token from a hybrid client sign-in: as valid a caller as a client-credentials token. */
  const userApi = async (user: { email: string; password: string }) => {
    const { tokens } = await signInForTokens(idp, { user, params: { scope: 'openid ocsapi' } });
    return adminApi(idp.origin, () => tokens.access_token);
  };

  it('[#admin-api-roles] lets a Tenant Member read: list, HEAD, one client (and HEAD of one)', async () => {
    const member = await userApi(alice);
    expect((await member('GET', '')).status).toBe(200);
    expect((await member('HEAD', '')).status).toBe(200);
    expect((await member('GET', `/${offlineClient.id}`)).body.Id).toBe(offlineClient.id);
    expect((await member('HEAD', `/${offlineClient.id}`)).status).toBe(200);
  });

  it('[#admin-api-roles] refuses a Tenant Member every change and every secret route, naming the role it needs', async () => {
    const member = await userApi(alice);
    const id = offlineClient.id;
    for (const [method, path, body] of [
      ['POST', '', newClient()],
      ['PUT', `/${id}`, { Name: 'Renamed by a member' }],
      ['DELETE', `/${id}`, undefined],
      ['GET', `/${id}/Secrets`, undefined],
      ['HEAD', `/${id}/Secrets`, undefined],
      ['POST', `/${id}/Secrets`, { Description: 'x', Expires: false }],
      ['GET', `/${id}/Secrets/1`, undefined],
      ['PUT', `/${id}/Secrets/1`, { Description: 'x' }],
      ['DELETE', `/${id}/Secrets/1`, undefined],
    ] as const) {
      const answer = await member(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      if (method !== 'HEAD') expect(answer.body.Reason).toMatch(/Tenant Administrator/);
    }
    expect((await api('GET', `/${id}`)).body.Name).toBe('Offline spec client');
  });

  it("[#admin-api-roles] accepts a Tenant Administrator's own access token (a user signed in through a hybrid client)", async () => {
    const administrator = await userApi(carol);
    const created = await administrator('POST', '', newClient({ Name: 'Created by a signed-in admin' }));
    expect(created.status).toBe(201);
    expect((await administrator('DELETE', `/${created.body.Client.Id}`)).status).toBe(204);
  });

  it('[#admin-api-roles] refuses a user who holds no tenant role, even to read (403, naming Tenant Member)', async () => {
    const roleless = await userApi(dave);
    expectDataHubError(await roleless('GET', ''), 403, /Tenant Member/);
    expectDataHubError(await roleless('GET', `/${offlineClient.id}`), 403, /Tenant Member or Self/);
  });

  it('[#admin-api-roles] lets a client acting for itself ("Self") read its own id, and no other', async () => {
    const selfToken = await adminToken(idp, rolelessServiceClient);
    const self = adminApi(idp.origin, () => selfToken);
    // Past authorization: the id is not a hybrid client's, so 404 (the mock's hybrid clients act only for users).
    expectDataHubError(await self('GET', `/${rolelessServiceClient.id}`), 404);
    expectDataHubError(await self('GET', `/${offlineClient.id}`), 403);
    expectDataHubError(await self('GET', ''), 403);
  });
});

describe('tenants', () => {
  it("[#admin-api] [#tenant-ids-hidden] answers a tenant that is not the token's with the same 403, whether it exists or not", async () => {
    const other = await adminApi(idp.origin, () => token, otherTenant.id)('GET', '');
    const unknown = await adminApi(
      idp.origin,
      () => token,
      '99999999-9999-4999-8999-999999999999',
    )('GET', '');
    expect(other.status).toBe(403);
    expect(unknown.status).toBe(403);
    // The same answer but for the id of the operation.
    const { OperationId: _unknownId, ...unknownAnswer } = unknown.body;
    const { OperationId: _otherId, ...otherAnswer } = other.body;
    expect(unknownAnswer).toEqual(otherAnswer);
  });
});

describe('creating a hybrid client', () => {
  it('[#admin-api] [#secret-shown-once] [#secret-default-expiry] returns 201 with the secret once, its id and expiry, and the client; the client signs in at once', async () => {
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

  it('[#admin-api] makes a secret that never expires with SecretExpirationDate null', async () => {
    const created = await api('POST', '', newClient({ SecretExpirationDate: null }));
    expect(created.body.ExpirationDate).toBeNull();
    const [secret] = (await api('GET', `/${created.body.Client.Id}/Secrets`)).body;
    expect(secret).toEqual({ Id: 1, Expiration: null, Expires: false, Description: 'first secret' });
  });

  it('[#admin-api] takes a given GUID as its id, and refuses the same id twice with 409', async () => {
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
    [
      '[#client-links-web-only] a javascript: ClientUri',
      { ClientUri: 'javascript:alert(1)' },
      /ClientUri: must be an http\(s\) URL/,
    ],
    [
      '[#client-links-web-only] a data: LogoUri',
      { LogoUri: 'data:image/svg+xml,<svg/>' },
      /LogoUri: must be an http\(s\) URL/,
    ],
    [
      'a javascript: logout URL',
      { PostLogoutRedirectUris: ['javascript:alert(1)//'] },
      /must not use javascript:/,
    ],
    ['a name that is not a string', { Name: 42 }, /Name/],
    ['a lifetime that is not a number', { AccessTokenLifetime: '3600' }, /AccessTokenLifetime/],
    ['an id that is not a GUID', { Id: 'my-client' }, /Id: must be a GUID/],
  ])(
    '[#admin-api] [#token-lifetime-range] [#redirect-uri-limits] refuses %s with 400 and a Data Hub error',
    async (_case, overrides, reason) => {
      const before = (await api('GET', '')).headers.get('Total-Count');
      expectDataHubError(await api('POST', '', newClient(overrides)), 400, reason);
      expect((await api('GET', '')).headers.get('Total-Count')).toBe(before);
    },
  );

  it('[#admin-api] refuses a body that is not JSON', async () => {
    expectDataHubError(await api('POST', '', '{"Name":'), 400);
  });

  it('[#admin-api] [#client-api-validation] creates a client without a Name (not Required in the reference), with a caller-chosen Id', async () => {
    const id = '8b3c1f0e-9a6d-4c2b-8e7f-5d4a3b2c1d0e';
    const { Name: _name, ...withoutName } = newClient({ Id: id });
    const created = await api('POST', '', withoutName);
    expect(created.status).toBe(201);
    expect(created.body.Client).toMatchObject({ Id: id, Name: '' });
    expectDataHubError(await api('POST', '', newClient({ Id: id.toUpperCase() })), 409);
  });
});

describe('PUT and the Id in its body', () => {
  it('[#client-api-validation] takes the id of the path in the body (any case), and refuses another with 400', async () => {
    const { body } = await api('POST', '', newClient());
    const id = body.Client.Id as string;
    expect((await api('PUT', `/${id}`, { Id: id.toUpperCase(), Name: 'Same id' })).status).toBe(200);
    expectDataHubError(
      await api('PUT', `/${id}`, { Id: '00000000-0000-4000-8000-000000000001', Name: 'Other id' }),
      400,
      /Id: .*cannot change/,
    );
    expect((await api('GET', `/${id}`)).body).toMatchObject({ Id: id, Name: 'Same id' });
  });
});

describe('listing', () => {
  it("[#admin-api] lists the tenant's hybrid clients with Total-Count, and pages with skip and count", async () => {
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

  it('[#admin-api] answers HEAD with Total-Count and no body', async () => {
    const head = await api('HEAD', '');
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('Total-Count'))).toBeGreaterThan(0);
    expect(head.body).toBeNull();
  });

  it.each(['?skip=-1', '?count=abc', '?count=5000'])('[#admin-api] refuses paging %s', async (query) => {
    expectDataHubError(await api('GET', query), 400);
  });

  it('[#admin-api] [#admin-api-list-filters] picks clients by id (repeatable; skip and count then ignored; unknown and blank ids ignored)', async () => {
    const [first, second] = (await api('GET', '?count=2')).body as { Id: string }[];
    const picked = await api(
      'GET',
      `?id=${first?.Id}&id=${second?.Id.toUpperCase()}&id=&id=%20&id=00000000-0000-4000-8000-000000000000&skip=1&count=1`,
    );
    expect(picked.status).toBe(200);
    expect(picked.body.map((client: { Id: string }) => client.Id).sort()).toEqual(
      [first?.Id, second?.Id].sort(),
    );
    expect(picked.headers.get('Total-Count')).toBe('2');
    expect((await api('GET', `?id=${otherTenantClient.id}`)).body).toEqual([]);
  });

  it('[#admin-api] [#admin-api-list-filters] keeps only clients with every tag asked for; query is accepted and ignored', async () => {
    const tagged = (await api('POST', '', newClient({ Tags: ['kit-spec', 'blue'] }))).body.Client.Id;
    const other = (await api('POST', '', newClient({ Tags: ['kit-spec'] }))).body.Client.Id;
    const ids = async (query: string) =>
      ((await api('GET', query)).body as { Id: string }[]).map((client) => client.Id).sort();
    expect(await ids('?tag=kit-spec')).toEqual([tagged, other].sort());
    expect(await ids('?tag=kit-spec&tag=blue')).toEqual([tagged]);
    expect(await ids('?tag=none-has-it')).toEqual([]);
    expect(await ids('?query=anything&tag=blue')).toEqual([tagged]);
    const head = await api('HEAD', '?tag=kit-spec');
    expect(head.headers.get('Total-Count')).toBe('2');
  });

  it('[#admin-api] [#admin-api-client-limit] refuses the 50,001st client of a tenant with 400 (clients of all types count)', async () => {
    const store = idp.context.store;
    const template = store.clients.get(offlineClient.id);
    if (!template) throw new Error('seeded client missing');
    const existing = store.clients
      .values()
      .filter((client) => client.tenantId === tenant.id && !client.deletedAt);
    const fillers = Array.from({ length: 50_000 - existing.length }, (_, index) => ({
      ...template,
      id: `f1000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    }));
    for (const filler of fillers) store.clients.restore(filler.id, filler);
    try {
      expectDataHubError(await api('POST', '', newClient()), 400, /at most 50000 clients/);
    } finally {
      for (const filler of fillers) store.clients.restore(filler.id, null);
    }
    expect((await api('POST', '', newClient())).status).toBe(201);
  });

  it("[#admin-api] answers 404 for an unknown client, and for another tenant's client", async () => {
    expectDataHubError(await api('GET', '/00000000-0000-4000-8000-000000000000'), 404);
    expectDataHubError(await api('GET', `/${otherTenantClient.id}`), 404);
  });
});

describe('updating', () => {
  it('[#admin-api] [#client-put] leaves absent and null properties unchanged', async () => {
    const { body } = await api('POST', '', newClient({ AllowOfflineAccess: true, Tags: ['a'] }));
    const id = body.Client.Id;
    const updated = await api('PUT', `/${id}`, { Name: 'Renamed', Tags: null, RedirectUris: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...body.Client, Name: 'Renamed' });
  });

  it('[#admin-api] applies a new token lifetime to the tokens issued after it', async () => {
    const { body } = await api('POST', '', newClient());
    await api('PUT', `/${body.Client.Id}`, { AccessTokenLifetime: 600 });
    const tokens = await signInWith(body.Client, body.Secret);
    const claims = decodeJwt(tokens.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it('[#admin-api] refuses an invalid change and keeps the client as it was', async () => {
    const { body } = await api('POST', '', newClient());
    expectDataHubError(
      await api('PUT', `/${body.Client.Id}`, { AccessTokenLifetime: 10 }),
      400,
      /AccessTokenLifetime/,
    );
    expect((await api('GET', `/${body.Client.Id}`)).body.AccessTokenLifetime).toBe(3600);
  });

  it('[#admin-api] can disable a client: it can no longer sign users in', async () => {
    const { body } = await api('POST', '', newClient());
    await api('PUT', `/${body.Client.Id}`, { Enabled: false });
    const hop = await new UserAgent().request(
      authorizationUrl(idp, { id: body.Client.Id, redirectUri: body.Client.RedirectUris[0] }),
    );
    expect(hop.response.status).toBe(400);
  });
});

describe('client ids belong to one tenant, and old grants to the client that got them', () => {
  const otherAdmin = () => idp.context.administration;
  const settings = (name: string) =>
    validSettings({ name, redirectUris: ['https://reuse.example.com/cb'], allowOfflineAccess: true });

  it('[#client-id-never-reused] compares ids as GUIDs (any case), and answers 409 without saying whose the id is', async () => {
    const taken = await api('POST', '', newClient({ Id: offlineClient.id.toUpperCase() }));
    const free = '0d15ea5e-0000-4000-8000-0000000000ff';
    expect((await api('POST', '', newClient({ Id: free.toUpperCase() }))).body.Client.Id).toBe(free);
    const again = await api('POST', '', newClient({ Id: free }));
    expectDataHubError(taken, 409);
    expect(again.body.Reason).toBe(taken.body.Reason);
    expect(taken.body.Reason).not.toMatch(/0d15ea5e|c0000000/i);
    // Another tenant's id, in either case, is refused the same way.
    expect(() =>
      otherAdmin().createHybridClient(
        otherTenant.id,
        settings('Other'),
        { description: 's' },
        offlineClient.id.toUpperCase(),
      ),
    ).toThrow(/cannot be used/);
  });

  it("[#client-id-never-reused] keeps a deleted, forgotten client's id from another tenant, and its old refresh tokens from any new client", async () => {
    const { client, tokens } = await signedInWithNewClient();
    expect((await api('DELETE', `/${client.id}`)).status).toBe(204);
    // Its deletion in effect (at once: no change delay), the mock forgets the client.
    idp.clock.advance(1);
    idp.context.store.purgeExpired(idp.clock.now());
    token = await adminToken(idp);
    expect(idp.context.store.clients.get(client.id)).toBeUndefined();
    expect(idp.context.store.grants.values().filter((grant) => grant.clientId === client.id)).toEqual([]);

    expect(() =>
      otherAdmin().createHybridClient(otherTenant.id, settings('Taker'), { description: 's' }, client.id),
    ).toThrow(/cannot be used/);

    // Its own tenant may use the id again; the refresh tokens of the earlier client stay dead.
    const again = await api('POST', '', newClient({ Id: client.id, AllowOfflineAccess: true }));
    expect(again.status).toBe(201);
    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string },
      { id: client.id, secret: again.body.Secret },
    );
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('[#client-id-never-reused] refuses a refresh token of a grant from another tenant, even under the same client id', async () => {
    const { tokens } = await signInForTokens(idp);
    const { store } = idp.context;
    const grant = store.grants.get(
      store.refreshTokens.get(handleHash(tokens.refresh_token as string))?.grantId ?? '',
    );
    if (!grant) throw new Error('no grant');
    idp.context.store.grants.put({ ...grant, tenantId: otherTenant.id });
    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
      offlineClient,
    );
    expect(refreshed.body.error).toBe('invalid_grant');
  });
});

describe('deleting', () => {
  it('[#client-deletion] stops sign-ins and refreshes at once, the strict end of "up to one hour"; access tokens live until they expire', async () => {
    const { client, tokens } = await signedInWithNewClient();

    expect((await api('DELETE', `/${client.id}`)).status).toBe(204);
    expectDataHubError(await api('GET', `/${client.id}`), 404);
    expect((await new UserAgent().request(authorizationUrl(idp, client))).response.status).toBe(400);

    const namespaces = `${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
    expect((await callApi(namespaces, tokens.body.access_token as string)).status).toBe(200);

    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string },
      client,
    );
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });
});

describe('secrets', () => {
  async function createdClient() {
    const { body } = await api('POST', '', newClient());
    return { id: body.Client.Id as string, firstSecret: body.Secret as string, client: body.Client };
  }

  it('[#admin-api] [#secret-rotation] [#secret-shown-once] adds a secret, returned once, and both secrets authenticate (rotation)', async () => {
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

  it('[#admin-api] [#secret-deleted] deletes a secret: it no longer authenticates, the other still does', async () => {
    const { id, firstSecret, client } = await createdClient();
    const added = await api('POST', `/${id}/Secrets`, { Description: 'second', Expires: false });
    expect((await api('DELETE', `/${id}/Secrets/1`)).status).toBe(204);
    expect((await signInWith(client, firstSecret)).body.error).toBe('invalid_client');
    expect((await signInWith(client, added.body.Secret)).status).toBe(200);
    expectDataHubError(await api('GET', `/${id}/Secrets/1`), 404);
  });

  it('[#admin-api] [#secret-expired] updates a secret: it stops authenticating at its new expiration; Expires false lifts it', async () => {
    const { id, firstSecret, client } = await createdClient();
    const soon = new Date(idp.clock.now() + 60_000).toISOString();
    const updated = await api('PUT', `/${id}/Secrets/1`, { Expiration: soon });
    expect(updated.body).toMatchObject({ Id: 1, Expires: true, Description: 'first secret' });
    idp.clock.advance(61);
    expect((await signInWith(client, firstSecret)).body.error).toBe('invalid_client');
    await api('PUT', `/${id}/Secrets/1`, { Expires: false });
    expect((await signInWith(client, firstSecret)).status).toBe(200);
    token = await adminToken(idp);
  });

  it('[#admin-api] [#secret-expires-rule] keeps the expiry on a PUT that changes only the description', async () => {
    const { id } = await createdClient();
    const before = (await api('GET', `/${id}/Secrets/1`)).body;
    const renamed = await api('PUT', `/${id}/Secrets/1`, { Description: 'renamed', Expires: null });
    expect(renamed.body).toEqual({ ...before, Description: 'renamed' });
  });
});

describe('Expires and Expiration, as the secrets reference page has them', () => {
  async function clientId() {
    return (await api('POST', '', newClient())).body.Client.Id as string;
  }
  const future = () => new Date(idp.clock.now() + 86_400_000).toISOString();

  it.each([
    [
      'no Expires and no Expiration (Expires defaults to true)',
      () => ({ Description: 'x' }),
      /no Expiration/,
    ],
    ['Expires true without Expiration', () => ({ Description: 'x', Expires: true }), /no Expiration/],
    ['Expires null without Expiration', () => ({ Description: 'x', Expires: null }), /no Expiration/],
    [
      'Expires false with an Expiration',
      () => ({ Description: 'x', Expires: false, Expiration: future() }),
      /Expires is false/,
    ],
    ['an Expiration in the past', () => ({ Description: 'x', Expiration: '2020-01-01T00:00:00Z' }), /past/],
  ])('[#secret-expires-rule] refuses %s with 400', async (_case, body, reason) => {
    const id = await clientId();
    expectDataHubError(await api('POST', `/${id}/Secrets`, body()), 400, reason);
    expect((await api('GET', `/${id}/Secrets`)).headers.get('Total-Count')).toBe('1');
  });

  it('[#secret-expires-rule] makes a secret that never expires with Expires false and no Expiration', async () => {
    const id = await clientId();
    const added = await api('POST', `/${id}/Secrets`, { Description: 'forever', Expires: false });
    expect(added.body).toMatchObject({ Id: 2, Expires: false, Expiration: null });
  });

  it('[#secret-expires-rule] enforces the Expiration given with Expires true (or left to its default)', async () => {
    const id = await clientId();
    const expiration = future();
    for (const body of [{ Expires: true }, {}, { Expires: null }]) {
      const added = await api('POST', `/${id}/Secrets`, {
        Description: 'dated',
        Expiration: expiration,
        ...body,
      });
      expect(added.body).toMatchObject({ Expires: true, Expiration: new Date(expiration).toISOString() });
    }
  });

  it('[#secret-expires-rule] refuses an Expiration in the past on a PUT, and a client created with a past SecretExpirationDate', async () => {
    const id = await clientId();
    expectDataHubError(
      await api('PUT', `/${id}/Secrets/1`, { Expiration: '2020-01-01T00:00:00Z' }),
      400,
      /past/,
    );
    expectDataHubError(await api('PUT', `/${id}/Secrets/1`, { Expires: true }), 400, /no Expiration/);
    expectDataHubError(
      await api('POST', '', newClient({ SecretExpirationDate: '2020-01-01T00:00:00Z' })),
      400,
      /past/,
    );
  });
});

describe('secret limits', () => {
  it('[#admin-api] [#secret-rotation] refuses an eleventh secret', async () => {
    const { body } = await api('POST', '', newClient());
    const id = body.Client.Id as string;
    for (let i = 2; i <= 10; i += 1)
      expect((await api('POST', `/${id}/Secrets`, { Description: `s${i}`, Expires: false })).status).toBe(
        201,
      );
    expectDataHubError(
      await api('POST', `/${id}/Secrets`, { Description: 'eleventh', Expires: false }),
      400,
      /at most 10 secrets/,
    );
  });

  it('[#admin-api] answers 404 for an unknown secret and 400 for a secret id that is not a number', async () => {
    const id = (await api('POST', '', newClient())).body.Client.Id as string;
    expectDataHubError(await api('GET', `/${id}/Secrets/7`), 404);
    expectDataHubError(await api('DELETE', `/${id}/Secrets/7`), 404);
    expectDataHubError(await api('GET', `/${id}/Secrets/first`), 400);
  });
});
