/**
 * Persistence: keys and state survive a restart, so tokens, refresh tokens and clients from before the restart
 * still work, and the state file holds hashes only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { type DataFolder, makeDataFolder, startTestIdp } from '../../harness/mock-idp.ts';
import { offlineClient, tenant } from '../../harness/test-seed.ts';

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
    // JSON lines: a header, then one row per line.
    for (const line of state.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
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
