/**
 * The test controls over HTTP: scenarios, users, client lifecycle and the request log under /__mock__, the same
 * model as in process; its OpenAPI document held against the routes; bad input answered 4xx, never 5xx.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alice,
  carol,
  makeDataFolder,
  offlineClient,
  onlineClient,
  redeemCode,
  signInForCode,
  signInForTokens,
  startTestIdp,
  type TestIdp,
  tenant,
  tokenRequest,
} from '../../harness/index.ts';
import { controlOperations } from '../../mock-idp/src/controls/openapi.ts';
import { tenantRoles } from '../../mock-idp/src/domain/roles.ts';
import { testControlsRouter } from '../../mock-idp/src/http/routes/test-controls.ts';
import { scenarioNames } from '../../mock-idp/src/scenarios/catalogue.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${idp.origin}/__mock__${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe('scenarios over HTTP', () => {
  it('sets (201), lists, clears one (204) and clears all, as the in-process door sees them', async () => {
    const set = await control('POST', '/scenarios', {
      clientId: offlineClient.id,
      name: 'invalid-chash',
      times: 2,
    });
    expect(set).toMatchObject({ status: 201, body: { name: 'invalid-chash', times: 2, remaining: 2 } });
    expect(await idp.scenarios.list()).toMatchObject([{ id: set.body.id }]);
    expect((await control('GET', `/scenarios?clientId=${offlineClient.id}`)).body.scenarios).toHaveLength(1);
    expect((await control('GET', `/scenarios?clientId=${onlineClient.id}`)).body.scenarios).toEqual([]);
    expect((await control('DELETE', `/scenarios/${set.body.id}`)).status).toBe(204);
    expect((await control('DELETE', `/scenarios/${set.body.id}`)).status).toBe(404);
    await control('POST', '/scenarios', { clientId: offlineClient.id, name: 'slow', seconds: 0 });
    await control('POST', '/scenarios', {
      clientId: onlineClient.id,
      name: 'expired',
      times: 'until-cleared',
    });
    expect((await control('DELETE', `/scenarios?clientId=${onlineClient.id}`)).body).toEqual({ cleared: 1 });
    expect((await control('DELETE', '/scenarios')).body).toEqual({ cleared: 1 });
  });

  it('answers an unknown name with 400 listing the names, an unknown client 404, bad times 400', async () => {
    const unknown = await control('POST', '/scenarios', { clientId: offlineClient.id, name: 'made-up' });
    expect(unknown.status).toBe(400);
    for (const name of scenarioNames) expect(unknown.body.error_description).toContain(name);
    expect(
      (
        await control('POST', '/scenarios', {
          clientId: '00000000-0000-4000-8000-000000000000',
          name: 'expired',
        })
      ).status,
    ).toBe(404);
    for (const times of [0, -1, 1.5, 'twice', 10_001, null]) {
      const bad = await control('POST', '/scenarios', { clientId: offlineClient.id, name: 'expired', times });
      expect(bad.status, String(times)).toBe(400);
      expect(bad.body.error_description).toContain('times');
    }
    const noSecret = await control('POST', '/scenarios', { clientId: offlineClient.id, name: 'sig-hs256' });
    expect(noSecret.status).toBe(400);
    const wrongSecret = await control('POST', '/scenarios', {
      clientId: offlineClient.id,
      name: 'sig-hs256',
      clientSecret: 'not-the-secret',
    });
    expect(wrongSecret.status).toBe(400);
    for (const body of ['{', '[]', '"text"', '{"clientId": {"$ne": 1}, "name": "expired"}']) {
      const response = await fetch(`${idp.origin}/__mock__/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status, body).toBe(400);
    }
    expect(await idp.scenarios.list()).toEqual([]);
  });

  it('lists the catalogue with what a correct app does', async () => {
    const { body } = await control('GET', '/scenarios/catalogue');
    expect(body.scenarios.map((scenario: { name: string }) => scenario.name)).toEqual(scenarioNames);
    expect(body.scenarios.find((scenario: { name: string }) => scenario.name === 'sig-hs256')).toMatchObject({
      expect: 'refuse',
      options: ['userId', 'clientSecret'],
    });
    expect(
      body.scenarios.find((scenario: { name: string }) => scenario.name === 'jwks-unavailable'),
    ).toMatchObject({
      reachesEveryClient: true,
      options: [],
    });
  });

  it('keeps scenarios in memory only: a restart on the same data forgets them', async () => {
    const folder = await makeDataFolder();
    const first = await startTestIdp({ folder });
    await first.scenarios.set({ clientId: offlineClient.id, name: 'expired', times: 'until-cleared' });
    await first.close();
    const second = await startTestIdp({ folder });
    try {
      expect(await second.scenarios.list()).toEqual([]);
    } finally {
      await second.close();
      await folder.remove();
    }
  });

  it('does not exist with the test controls off', async () => {
    const folder = await makeDataFolder();
    const { startMockIdp } = await import('../../mock-idp/src/index.ts');
    const off = await startMockIdp({ port: 0, dataDir: folder.dataDir, seedFile: folder.seedFile });
    try {
      for (const path of ['/scenarios', '/requests', '/openapi.json']) {
        expect((await fetch(`${off.origin}/__mock__${path}`)).status, path).toBe(404);
      }
      const post = await fetch(`${off.origin}/__mock__/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: offlineClient.id, name: 'expired' }),
      });
      expect(post.status).toBe(404);
    } finally {
      await off.close();
      await folder.remove();
    }
  });
});

describe('users at runtime', () => {
  it('creates a user who signs in at once, with extra claims in the id_token and UserInfo', async () => {
    const created = await control('POST', '/users', {
      email: 'new.person@example.com',
      password: 'new-person-password',
      name: 'New Person',
      tenantId: tenant.id,
      roles: ['Tenant Contributor'],
      claims: { department: 'Maintenance', sites: ['north', 'south'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    expect((await control('GET', '/users?email=NEW.person@example.com')).body).toEqual(created.body);
    const user = { email: 'new.person@example.com', password: 'new-person-password' };
    const { tokens } = await signInForTokens(idp, { client: offlineClient, user });
    const claims = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({
      sub: created.body.id,
      department: 'Maintenance',
      sites: ['north', 'south'],
    });
    expect(decodeJwt(tokens.access_token).role_type).toEqual([tenantRoles['Tenant Contributor']]);
    const info = await fetch(`${idp.issuer}/connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await info.json()).toMatchObject({ sub: created.body.id, department: 'Maintenance' });

    const roles = await control('PUT', `/users/${created.body.id}/roles`, { roles: ['Tenant Viewer'] });
    expect(roles.body.roles).toEqual(['Tenant Viewer']);
    const again = await signInForTokens(idp, { client: offlineClient, user });
    expect(decodeJwt(again.tokens.access_token).role_type).toEqual([tenantRoles['Tenant Viewer']]);

    const revoked = await control('POST', `/users/${created.body.id}/revoke-grants`, {});
    expect(revoked.body).toEqual({ revoked: 2 });
    const refresh = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: again.tokens.refresh_token as string },
      offlineClient,
    );
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    expect((await control('DELETE', `/users/${created.body.id}`)).status).toBe(204);
    expect((await control('GET', `/users/${created.body.id}`)).status).toBe(404);
    expect((await control('GET', '/users?email=new.person@example.com')).status).toBe(404);
    expect((await control('GET', '/users')).status).toBe(400);
    await expect(signInForCode(idp, { client: offlineClient, user })).rejects.toThrow();
  });

  it('[#refresh-keeps-access-token] shows a role change at the next sign-in; a refresh reissues the access token of the sign-in, jti and iat included', async () => {
    const created = await control('POST', '/users', {
      email: 'refreshing.person@example.com',
      password: 'refreshing-password',
      name: 'Refreshing Person',
      tenantId: tenant.id,
      roles: ['Tenant Contributor'],
    });
    const user = { email: 'refreshing.person@example.com', password: 'refreshing-password' };
    // The code is redeemed 30 s after the sign-in: the family starts later than the sign-in it keeps.
    const front = await signInForCode(idp, { client: offlineClient, user });
    await control('POST', '/clock/advance', { seconds: 30 });
    const tokens = (await redeemCode(idp, front, offlineClient)).body as {
      access_token: string;
      refresh_token?: string;
    };
    const first = decodeJwt(tokens.access_token);
    expect((first.iat as number) - (first.auth_time as number)).toBeGreaterThanOrEqual(30);
    await control('PUT', `/users/${created.body.id}/roles`, { roles: ['Tenant Viewer'] });
    await control('POST', '/clock/advance', { seconds: 60 });
    // The mock's clock runs on from the moved one: the refresh happens at a second between these two.
    const before = Math.floor(idp.clock.now() / 1000);
    const refreshed = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
      offlineClient,
    );
    const after = Math.floor(idp.clock.now() / 1000);
    const again = decodeJwt(refreshed.body.access_token as string);
    // Every claim but the validity is the first token's: jti, iat and the roles included.
    const { nbf: _firstNbf, exp: _firstExp, ...firstClaims } = first;
    const { nbf: _nbf, exp: _exp, ...againClaims } = again;
    expect(againClaims).toEqual(firstClaims);
    expect(again.role_type).toEqual([tenantRoles['Tenant Contributor']]);
    // Valid from the refresh, for the client's lifetime; the first token's nbf is at least 60 s before.
    expect(again.nbf).toBeGreaterThanOrEqual(before);
    expect(again.nbf).toBeLessThanOrEqual(after);
    expect(again.nbf as number).toBeGreaterThanOrEqual((first.nbf as number) + 60);
    expect((again.exp as number) - (again.nbf as number)).toBe((first.exp as number) - (first.nbf as number));
    const signedInAgain = await signInForTokens(idp, { client: offlineClient, user });
    expect(decodeJwt(signedInAgain.tokens.access_token).role_type).toEqual([tenantRoles['Tenant Viewer']]);
    await control('DELETE', `/users/${created.body.id}`);
  });

  it('refuses a taken email (409), a claim the server sets itself (400), an unknown role or tenant', async () => {
    const base = {
      email: 'twice@example.com',
      password: 'twice-password',
      name: 'Twice',
      tenantId: tenant.id,
    };
    expect((await control('POST', '/users', base)).status).toBe(201);
    expect((await control('POST', '/users', base)).status).toBe(409);
    const reserved = await control('POST', '/users', {
      ...base,
      email: 'r@example.com',
      claims: { sub: 'x' },
    });
    expect(reserved.status).toBe(400);
    expect(
      (await control('POST', '/users', { ...base, email: 'q@example.com', roles: ['Owner'] })).status,
    ).toBe(400);
    const noTenant = await control('POST', '/users', {
      ...base,
      email: 'p@example.com',
      tenantId: '99999999-9999-4999-8999-999999999999',
    });
    expect(noTenant.status).toBe(404);
    expect((await control('POST', '/users', { email: 'not-an-email', password: 'x' })).status).toBe(400);
  });
});

describe('client lifecycle at once', () => {
  const redeem = (client: { id: string; secret: string } = offlineClient) =>
    tokenRequest(idp, { grant_type: 'client_credentials' }, { id: client.id, secret: client.secret });

  it('expires a secret, disables and enables a client, and the token endpoint follows at once', async () => {
    const expired = await control('POST', `/clients/${offlineClient.id}/expire-secrets`, { secretId: 1 });
    expect(expired.status).toBe(200);
    expect(expired.body.secrets[0].expiresAt).not.toBeNull();
    expect((await redeem()).body).toMatchObject({ error: 'invalid_client' });
    // The second secret still works: rotation.
    const second = await tokenRequest(
      idp,
      { grant_type: 'client_credentials' },
      { id: offlineClient.id, secret: offlineClient.secondSecret },
    );
    expect(second.body).not.toMatchObject({ error: 'invalid_client' });

    expect((await control('POST', `/clients/${onlineClient.id}/disable`, {})).body.enabled).toBe(false);
    expect((await redeem(onlineClient)).body).toMatchObject({ error: 'invalid_client' });
    expect((await control('POST', `/clients/${onlineClient.id}/enable`, {})).body.enabled).toBe(true);
    expect((await redeem(onlineClient)).body).not.toMatchObject({ error: 'invalid_client' });

    const deleted = await control('DELETE', `/clients/${offlineClient.id}/secrets/2`);
    expect(deleted.body.secrets.map((secret: { id: number }) => secret.id)).toEqual([1]);
    expect((await control('DELETE', `/clients/${offlineClient.id}/secrets/abc`)).status).toBe(400);
    expect((await control('POST', '/clients/00000000-0000-4000-8000-000000000000/disable', {})).status).toBe(
      404,
    );
  });
});

describe('the request log and the OpenAPI document', () => {
  it('reads the log by client and endpoint', async () => {
    await control('DELETE', '/requests');
    const { tokens } = await signInForTokens(idp, {
      client: onlineClient,
      params: { scope: 'openid profile email ocsapi' },
    });
    await fetch(`${idp.issuer}/connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const { body } = await control('GET', `/requests?clientId=${onlineClient.id}`);
    expect(body.requests.map((entry: { endpoint: string }) => entry.endpoint)).toEqual([
      'authorize',
      'login',
      'token',
      'userinfo',
    ]);
    // The sign-in's own requests name its user: the login that completed it, the code exchange, UserInfo.
    expect(body.requests.map((entry: { userId?: string }) => entry.userId ?? null)).toEqual([
      null,
      alice.id,
      alice.id,
      alice.id,
    ]);
    const after = body.requests[0].seq;
    expect(
      (await control('GET', `/requests?clientId=${onlineClient.id}&after=${after}`)).body.requests,
    ).toHaveLength(3);
    expect((await control('GET', `/requests?userId=${carol.id}&after=${after}`)).body.requests).toEqual([]);
    expect((await control('GET', '/requests?after=soon')).status).toBe(400);
    expect((await control('GET', '/requests?clientId=a&clientId=b')).status).toBe(400);
  });

  it('writes a client id only when it names a client, and a grant type only when it is one (found by the fuzz)', async () => {
    await control('DELETE', '/requests');
    const pasted = 'a-secret-pasted-into-the-wrong-field';
    await tokenRequest(idp, { grant_type: pasted, client_id: pasted, client_secret: 'x' }, null);
    const { body } = await control('GET', '/requests');
    expect(body.requests).toMatchObject([{ endpoint: 'token', clientId: null, status: 400 }]);
    expect(JSON.stringify(body)).not.toContain(pasted);
  });

  it('names the client of an end-session request by its id_token_hint alone', async () => {
    // The offline client's secrets were expired and deleted above.
    const { tokens } = await signInForTokens(idp, {
      client: onlineClient,
      params: { scope: 'openid profile email ocsapi' },
    });
    const since = (await idp.requests.list()).at(-1)?.seq ?? 0;
    await fetch(
      `${idp.issuer}/connect/endsession?${new URLSearchParams({ id_token_hint: tokens.id_token })}`,
      {
        redirect: 'manual',
      },
    );
    expect(await idp.requests.list({ after: since })).toMatchObject([
      { endpoint: 'end_session', clientId: onlineClient.id },
    ]);
  });

  it('documents exactly the routes the surface has (OpenAPI 3.1)', async () => {
    const served = (await control('GET', '/openapi.json')).body;
    expect(served.openapi).toBe('3.1.0');
    const documented = Object.entries(served.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const router = testControlsRouter(idp.context, idp.controls) as unknown as {
      stack: { route?: { path: string; methods: Record<string, boolean> } }[];
    };
    const routed = router.stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods)
            .filter((method) => method !== '_all')
            .map((method) => `${method.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`)
        : [],
    );
    expect(documented.sort()).toEqual(routed.sort());
    expect(Object.keys(controlOperations).length).toBeGreaterThan(10);
  });
});
