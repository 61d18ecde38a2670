/**
 * Discovery, signing keys and persistence: the metadata is Data Hub shaped; keys are RS256 with a kid and only
 * public members are published; keys and state survive a restart, so tokens, refresh tokens and clients from
 * before the restart still work. OpenID Foundation: oidcc-discovery-issuer-not-matching-config (issuer),
 * oidcc-server (metadata).
 */
import { readdir, readFile } from 'node:fs/promises';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../support/hybrid-flow.ts';
import { type DataFolder, makeDataFolder, startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { offlineClient, tenant } from '../support/test-seed.ts';

describe('discovery', () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(() => idp.dispose());

  it('publishes the Data Hub endpoints under /identity/connect, hybrid only, RS256, S256', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = await response.json();
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity$/);
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/connect/authorize`,
      token_endpoint: `${idp.issuer}/connect/token`,
      userinfo_endpoint: `${idp.issuer}/connect/userinfo`,
      end_session_endpoint: `${idp.issuer}/connect/endsession`,
      revocation_endpoint: `${idp.issuer}/connect/revocation`,
      response_types_supported: ['code id_token'],
      response_modes_supported: ['form_post', 'fragment'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'ocsapi', 'offline_access']));
  });

  it('[#id-token-signature] publishes RS256 public keys with a kid, and no private key material', async () => {
    const jwks = await (await fetch(`${idp.issuer}/.well-known/openid-configuration/jwks`)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
    }
  });
});

describe('persistence across restarts', () => {
  let folder: DataFolder;
  beforeAll(async () => {
    folder = await makeDataFolder();
  });
  afterAll(() => folder.remove());

  it('keeps keys, tokens, refresh tokens and clients from before a restart', async () => {
    const before = await startTestIdp({ folder });
    const { tokens } = await signInForTokens(before);
    const jwksBefore = await (await fetch(`${before.issuer}/.well-known/openid-configuration/jwks`)).json();
    const port = Number(new URL(before.origin).port);
    await before.dispose();

    const after = await startTestIdp({ folder, port });
    try {
      const jwksAfter = await (await fetch(`${after.issuer}/.well-known/openid-configuration/jwks`)).json();
      expect(jwksAfter).toEqual(jwksBefore);
      expect(decodeProtectedHeader(tokens.access_token).kid).toBe(jwksAfter.keys[0].kid);

      const api = `${after.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
      expect((await callApi(api, tokens.access_token)).status).toBe(200);
      const refreshed = await tokenRequest(
        after,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
        offlineClient,
      );
      expect(refreshed.status).toBe(200);
    } finally {
      await after.dispose();
    }
  });

  it('keeps a change made at runtime (a client setting) across a restart', async () => {
    const first = await startTestIdp({ folder });
    const client = first.context.store.clients.get(offlineClient.id);
    if (!client) throw new Error('seeded client missing');
    first.context.store.clients.put({ ...client, name: 'Renamed at runtime' });
    await first.dispose();

    const second = await startTestIdp({ folder });
    try {
      expect(second.context.store.clients.get(offlineClient.id)?.name).toBe('Renamed at runtime');
    } finally {
      await second.dispose();
    }
  });

  it('[#secret-shown-once] stores hashes only: no client secret or password in clear in the state file', async () => {
    const idp = await startTestIdp({ folder });
    const { tokens } = await signInForTokens(idp);
    await idp.dispose();
    const state = await readFile(`${folder.dataDir}/state.json`, 'utf8');
    expect(() => JSON.parse(state)).not.toThrow();
    for (const secret of [
      offlineClient.secret,
      offlineClient.secondSecret,
      'alice-password-1',
      tokens.refresh_token as string,
    ]) {
      expect(state).not.toContain(secret);
    }
    expect((await readdir(folder.dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
