/**
 * Rules of refresh tokens: issued only when the client allows offline access and offline_access was asked for;
 * one-time use and rotated; a reused one fails and, as IdentityServer does, nothing else is revoked; another
 * client's token fails; the family ends at an absolute lifetime (a setting: 30 days by default).
 * OpenID Foundation: oidcc-refresh-token, oidcc-refresh-token-rp-key-rotation (rotation part).
 * Runs against any target with a test user (specs/support/target.ts).
 */
import { decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { callApi, signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp } from '../../harness/mock-idp.ts';
import { offlineClient, onlineClient, otherTenantClient } from '../../harness/test-seed.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
// Every spec here signs a user in to get a refresh token.
beforeEach((ctx) => need(ctx, target(), 'test-user'));

const signIn = (params?: Record<string, string>) =>
  signInForTokens(target(), {
    client: target().client,
    user: target().user ?? undefined,
    ...(params && { params }),
  });
const refresh = (
  refreshToken: string,
  extra: Record<string, string> = {},
  client: { id: string; secret: string } = target().client,
) => tokenRequest(target(), { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, client);
const namespaces = () => `${target().apiBase}/api/v1/Tenants/${target().tenantId}/Namespaces`;

describe('refresh tokens only when allowed', () => {
  it('[#refresh-only-when-allowed] issues one to a client with Allow Refresh Token that asked for offline_access', async () => {
    const { tokens } = await signIn();
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('[#refresh-only-when-allowed] issues none when offline_access was not asked for', async () => {
    const { tokens } = await signIn({ scope: 'openid ocsapi' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('[#refresh-only-when-allowed] issues none to a client without Allow Refresh Token (offline_access is refused at authorize)', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const { tokens } = await signInForTokens(target(), {
      client: onlineClient,
      params: { scope: 'openid profile ocsapi' },
    });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('[#refresh-only-when-allowed] stops refreshing when the client loses Allow Refresh Token', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const { tokens } = await signIn();
    const store = target().mock?.context.store;
    const client = store?.clients.get(target().client.id);
    if (client?.kind !== 'hybrid') throw new Error('seeded client missing');
    store?.clients.put({ ...client, allowOfflineAccess: false });
    try {
      expect((await refresh(tokens.refresh_token as string)).body.error).toBe('invalid_grant');
    } finally {
      store?.clients.put(client);
    }
  });
});

describe('oidcc-refresh-token: one-time use, rotated', () => {
  it('[#refresh-rotation] returns a new refresh token, an access token valid for expires_in from now, and an id_token for the same user', async () => {
    const { tokens } = await signIn();
    const next = await refresh(tokens.refresh_token as string);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).toEqual(expect.any(String));
    expect(next.body.refresh_token).not.toBe(tokens.refresh_token);
    const subject = decodeJwt(tokens.id_token).sub;
    expect(decodeJwt(next.body.id_token as string)).toMatchObject({ sub: subject, aud: target().client.id });
    // The access token is the sign-in's, issued again (IdentityServer4 keeps iat and jti): nbf and exp are new.
    const claims = decodeJwt(next.body.access_token as string);
    expect((claims.exp as number) - (claims.nbf as number)).toBe(next.body.expires_in);
    expect(claims.sub).toBe(subject);
  });

  it('[#refresh-reuse] [#replay-revokes-nothing] refuses a reused refresh token; its successor and the access tokens live on', async () => {
    const { tokens } = await signIn();
    const next = await refresh(tokens.refresh_token as string);
    const reuse = await refresh(tokens.refresh_token as string);
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // One-time use without family revocation (IdentityServer): the rotated token and the access token still work.
    expect((await callApi(namespaces(), next.body.access_token as string)).status).toBe(200);
    expect((await refresh(next.body.refresh_token as string)).status).toBe(200);
  });

  it("[#refresh-reuse] refuses another client's refresh token, which stays usable by its owner", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const { tokens } = await signIn();
    const stolen = await refresh(tokens.refresh_token as string, {}, otherTenantClient);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
  });

  it('refuses an unknown refresh token', async () => {
    expect((await refresh('made-up-token')).body.error).toBe('invalid_grant');
  });

  it('[#refresh-keeps-scopes] ignores a scope parameter: a refresh keeps the scopes of the sign-in, neither narrowed nor widened', async () => {
    const { tokens } = await signIn({ scope: 'openid ocsapi offline_access' });
    const narrower = await refresh(tokens.refresh_token as string, { scope: 'openid offline_access' });
    expect(narrower.status).toBe(200);
    expect(narrower.body.scope).toBe('openid ocsapi offline_access');
    const wider = await refresh(narrower.body.refresh_token as string, {
      scope: 'openid email offline_access',
    });
    expect(wider.status).toBe(200);
    expect(wider.body.scope).toBe('openid ocsapi offline_access');
  });

  it('[#refresh-rotation] keeps working across refreshes long after the first access token expired', async (ctx) => {
    need(ctx, target(), 'time-control');
    const { tokens } = await signIn();
    let refreshToken = tokens.refresh_token as string;
    for (let day = 0; day < 3; day += 1) {
      await target().advanceClock?.(24 * 3600);
      const next = await refresh(refreshToken);
      expect(next.status).toBe(200);
      refreshToken = next.body.refresh_token as string;
    }
    expect(refreshToken).not.toBe(tokens.refresh_token);
  });
});

describe('refresh token family lifetime', () => {
  it('[#refresh-lifetime] ends 30 days after sign-in by default (IdentityServer), however often it was rotated', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const { tokens } = await signIn();
    target().mock?.clock.advance(30 * 24 * 3600 - 60);
    const rotated = await refresh(tokens.refresh_token as string);
    expect(rotated.status).toBe(200);
    target().mock?.clock.advance(60);
    expect((await refresh(rotated.body.refresh_token as string)).body.error).toBe('invalid_grant');
  });

  it("[#refresh-lifetime] is a setting: 8 hours, as AVEVA's Grafana sample says for authorization-code clients", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const idp = await startTestIdp({ refreshTokenLifetimeSeconds: 8 * 3600 });
    const refreshAt = (refreshToken: unknown) =>
      tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: String(refreshToken) }, offlineClient);
    try {
      const { tokens } = await signInForTokens(idp);
      idp.clock.advance(8 * 3600 - 1);
      const rotated = await refreshAt(tokens.refresh_token);
      expect(rotated.status).toBe(200);
      idp.clock.advance(1);
      expect((await refreshAt(rotated.body.refresh_token)).body.error).toBe('invalid_grant');
    } finally {
      await idp.dispose();
    }
  });
});
