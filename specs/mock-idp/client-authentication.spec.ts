/**
 * Rules of client secrets at the token endpoint: client_secret_basic and client_secret_post; several valid
 * secrets at once all work (rotation); an expired or deleted secret no longer authenticates (invalid_client);
 * the default expiry is one year; tokens already issued stay valid until their own expiry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  redeemCode,
  signInForCode,
  signInForTokens,
  tokenRequest,
} from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { adminClient, offlineClient, onlineClient, tenant } from '../../harness/test-seed.ts';
import { removeSecret } from '../../mock-idp/src/domain/hybrid-clients.ts';

const credentialsGrant = { grant_type: 'client_credentials' };

describe('client authentication methods', () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(() => idp.dispose());

  it.each(['basic', 'post'] as const)('[#client-auth] accepts client_secret_%s', async (method) => {
    const response = await tokenRequest(idp, credentialsGrant, { ...adminClient, method });
    expect(response.status).toBe(200);
  });

  it('[#client-auth] accepts Basic credentials that are form-urlencoded (RFC 6749 2.3.1)', async () => {
    const encoded = Buffer.from(
      `${encodeURIComponent(adminClient.id)}:${encodeURIComponent(adminClient.secret)}`,
    ).toString('base64');
    const response = await fetch(`${idp.issuer}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${encoded}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
  });

  it('[#client-auth] [#invalid-client-400] refuses a wrong secret as IdentityServer does: 400 invalid_client, no challenge', async () => {
    const response = await tokenRequest(idp, credentialsGrant, {
      id: adminClient.id,
      secret: 'wrong-secret',
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_client');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('[#client-auth] refuses an unknown client with the same answer as a wrong secret', async () => {
    const unknown = await tokenRequest(idp, credentialsGrant, {
      id: '00000000-0000-4000-8000-000000000000',
      secret: adminClient.secret,
      method: 'post',
    });
    const wrong = await tokenRequest(idp, credentialsGrant, {
      id: adminClient.id,
      secret: 'nope',
      method: 'post',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('[#client-auth] refuses a request without client authentication', async () => {
    const response = await tokenRequest(idp, credentialsGrant, null);
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('[#client-auth] refuses two authentication methods at once', async () => {
    const response = await tokenRequest(
      idp,
      { ...credentialsGrant, client_secret: adminClient.secret },
      adminClient,
    );
    expect(response.body.error).toBe('invalid_request');
  });

  it('[#client-auth] refuses a malformed Basic header', async () => {
    const response = await fetch(`${idp.issuer}/connect/token`, {
      method: 'POST',
      headers: { authorization: 'Basic !!!', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('[#client-auth] refuses a disabled client', async () => {
    const store = idp.context.store;
    const client = store.clients.get(adminClient.id);
    if (!client) throw new Error('seeded admin client missing');
    store.clients.put({ ...client, enabled: false });
    try {
      expect((await tokenRequest(idp, credentialsGrant, adminClient)).body.error).toBe('invalid_client');
    } finally {
      store.clients.put(client);
    }
  });

  it('[#client-auth] refuses a hybrid client the client_credentials grant (unauthorized_client)', async () => {
    const response = await tokenRequest(idp, credentialsGrant, {
      id: offlineClient.id,
      secret: offlineClient.secret,
    });
    expect(response.body.error).toBe('unauthorized_client');
  });
});

describe('secret rotation and deletion', () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(() => idp.dispose());

  it('[#secret-rotation] accepts each of two valid secrets of one client (rotation)', async () => {
    for (const secret of [offlineClient.secret, offlineClient.secondSecret]) {
      const front = await signInForCode(idp);
      const response = await redeemCode(idp, front, offlineClient, { id: offlineClient.id, secret });
      expect(response.status).toBe(200);
    }
  });

  it('[#secret-deleted] refuses a deleted secret, while the remaining one still works', async () => {
    const store = idp.context.store;
    const client = store.clients.get(offlineClient.id);
    if (!client) throw new Error('seeded client missing');
    const first = client.secrets.find((secret) => secret.description === 'first');
    store.clients.put(removeSecret(client, first?.id ?? -1));

    const { tokens } = await signInForTokens(idp, {
      client: { ...offlineClient, secret: offlineClient.secondSecret },
    });
    const withDeleted = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
      { id: offlineClient.id, secret: offlineClient.secret },
    );
    expect(withDeleted).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });
});

describe('secret expiry', () => {
  let idp: TestIdp;
  afterEach(() => idp.dispose());

  /** Moves the mock's clock to `secondsBefore` seconds before the online client's secret expires. */
  function moveToSecretExpiry(secondsBefore: number) {
    const secret = idp.context.store.clients.get(onlineClient.id)?.secrets[0];
    if (!secret?.expiresAt) throw new Error('the seeded secret should have the default expiry');
    idp.clock.advance(Math.ceil((secret.expiresAt - idp.clock.now()) / 1000) - secondsBefore);
  }

  it('[#secret-default-expiry] defaults to one year after creation', async () => {
    idp = await startTestIdp();
    const secret = idp.context.store.clients.get(onlineClient.id)?.secrets[0];
    const created = new Date(secret?.createdAt ?? 0);
    const expected = new Date(created);
    expected.setUTCFullYear(created.getUTCFullYear() + 1);
    expect(secret?.expiresAt).toBe(expected.getTime());
  });

  it('[#secret-expired] refuses an expired secret with invalid_client, and tokens issued before stay valid until their own expiry', async () => {
    idp = await startTestIdp();
    moveToSecretExpiry(30);
    const { tokens } = await signInForTokens(idp, {
      client: onlineClient,
      params: { scope: 'openid ocsapi' },
    });

    idp.clock.advance(31);
    const front = await signInForCode(idp, { client: onlineClient, params: { scope: 'openid ocsapi' } });
    const refused = await redeemCode(idp, front, onlineClient);
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_client' } });

    const api = `${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
    expect((await callApi(api, tokens.access_token)).status).toBe(200);
    idp.clock.advance(30);
    expect((await callApi(api, tokens.access_token)).status).toBe(401);
  });

  it('[#secret-never-expires] never expires a secret without expiration', async () => {
    idp = await startTestIdp();
    idp.clock.advance(20 * 365 * 24 * 3600);
    expect((await tokenRequest(idp, credentialsGrant, adminClient)).status).toBe(200);
  });
});
