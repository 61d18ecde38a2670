/**
 * Rules of the code exchange: codes are single use and live 300 s; a replayed code fails with invalid_grant and,
 * as IdentityServer does, nothing else is revoked; redirect_uri must match; PKCE S256 is checked; access tokens are JWTs
 * whose `exp - iat` is the client's AccessTokenLifetime.
 * OpenID Foundation: oidcc-codereuse, oidcc-codereuse-30seconds, oidcc-ensure-pkce-code-verifier-required.
 * Runs against any target with a test user (specs/support/target.ts).
 */
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { callApi, halfHashOf, redeemCode, signInForCode, tokenRequest } from '../../harness/hybrid-flow.ts';
import { onlineClient, otherTenantClient } from '../../harness/test-seed.ts';
import { handleHash } from '../../mock-idp/src/protocol/random.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
// Every spec here signs a user in to get a code.
beforeEach((ctx) => need(ctx, target(), 'test-user'));

const signIn = (params?: Record<string, string | undefined>) =>
  signInForCode(target(), {
    client: target().client,
    user: target().user ?? undefined,
    ...(params && { params }),
  });
const exchange = (code: string, verifier: string | undefined, extra: Record<string, string> = {}) =>
  tokenRequest(
    target(),
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: target().client.redirectUri,
      ...(verifier !== undefined && { code_verifier: verifier }),
      ...extra,
    },
    target().client,
  );
const refresh = (refreshToken: string) =>
  tokenRequest(target(), { grant_type: 'refresh_token', refresh_token: refreshToken }, target().client);
const namespaces = () => `${target().apiBase}/api/v1/Tenants/${target().tenantId}/Namespaces`;

describe('oidcc-codereuse: authorization codes are single use', () => {
  it('[#code-single-use] [#replay-revokes-nothing] refuses a second use with invalid_grant, and what the first use issued keeps working', async () => {
    const front = await signIn();
    const first = await exchange(front.code, front.verifier);
    expect(first.status).toBe(200);
    expect((await callApi(namespaces(), first.body.access_token as string)).status).toBe(200);

    const second = await exchange(front.code, front.verifier);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');

    // IdentityServer revokes nothing on a replay: the JWT access token and the refresh token live on.
    expect((await callApi(namespaces(), first.body.access_token as string)).status).toBe(200);
    expect((await refresh(first.body.refresh_token as string)).status).toBe(200);
  });
});

describe('authorization code lifetime: 300 seconds', () => {
  it('[#code-lifetime] redeems a code 299 s old', async (ctx) => {
    need(ctx, target(), 'time-control');
    const front = await signIn();
    await target().advanceClock?.(299);
    expect((await exchange(front.code, front.verifier)).status).toBe(200);
  });

  it('[#code-lifetime] [#token-endpoint-errors] refuses a code 300 s old with invalid_grant alone, the reason in the request log', async (ctx) => {
    need(ctx, target(), 'time-control');
    const front = await signIn();
    await target().advanceClock?.(300);
    const response = await exchange(front.code, front.verifier);
    // IdentityServer answers with the code alone; the mock says why in its request log.
    expect(response.body).toEqual({ error: 'invalid_grant' });
    const logged = target().mock?.context.requestLog.list({ endpoint: 'token' }).at(-1);
    if (target().mock) expect(logged?.errorDescription).toMatch(/expired/);
  });
});

describe('redirect_uri must match the authorization request', () => {
  it('[#code-redirect-match] refuses the redirect URI with a trailing slash', async () => {
    const front = await signIn();
    const response = await exchange(front.code, front.verifier, {
      redirect_uri: `${target().client.redirectUri}/`,
    });
    expect(response.body.error).toBe('invalid_grant');
  });

  it('[#code-redirect-match] refuses another of its registered redirect URIs', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const front = await signIn();
    const response = await exchange(front.code, front.verifier, {
      redirect_uri: 'https://app.example.com/other-callback',
    });
    expect(response.body.error).toBe('invalid_grant');
  });

  it("[#code-redirect-match] [#token-endpoint-errors] refuses a missing redirect_uri with unauthorized_client (IdentityServer's code for it)", async () => {
    const front = await signIn();
    const response = await tokenRequest(
      target(),
      { grant_type: 'authorization_code', code: front.code, code_verifier: front.verifier },
      target().client,
    );
    expect(response.body.error).toBe('unauthorized_client');
  });
});

describe('PKCE S256 (RFC 7636)', () => {
  it('[#pkce] oidcc-ensure-pkce-code-verifier-required: refuses a missing code_verifier', async () => {
    const front = await signIn();
    expect((await exchange(front.code, undefined)).body.error).toBe('invalid_grant');
  });

  it('[#pkce] refuses a wrong code_verifier', async () => {
    const front = await signIn();
    expect((await exchange(front.code, `${front.verifier}x`)).body.error).toBe('invalid_grant');
  });

  it.each([
    ['18', 18],
    ['200', 200],
  ])(
    '[#pkce] refuses a code_verifier of %s characters even when it matches (RFC 7636 4.1: 43 to 128)',
    async (_case, length) => {
      const verifier = 'v'.repeat(length);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const front = await signIn({ code_challenge: challenge, code_challenge_method: 'S256' });
      const answer = await exchange(front.code, verifier);
      expect(answer.body.error).toBe('invalid_grant');
    },
  );

  it('[#pkce] checks the verifier against the challenge with SHA-256', async () => {
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const front = await signIn({ code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await exchange(front.code, verifier)).status).toBe(200);
  });
});

describe('codes belong to their client', () => {
  it("[#code-single-use] refuses another client's code, and the rightful client can still redeem it", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const front = await signIn();
    const stolen = await redeemCode(target(), front, target().client, otherTenantClient);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await exchange(front.code, front.verifier)).status).toBe(200);
  });

  it('[#code-single-use] refuses an unknown code', async () => {
    expect((await exchange('not-a-code', 'x'.repeat(43))).body.error).toBe('invalid_grant');
  });

  it("[#code-single-use] [#token-endpoint-errors] refuses a missing code with invalid_grant (IdentityServer's code for it)", async () => {
    const response = await tokenRequest(
      target(),
      { grant_type: 'authorization_code', redirect_uri: target().client.redirectUri },
      target().client,
    );
    expect(response.body.error).toBe('invalid_grant');
  });
});

describe('token response', () => {
  it('[#id-token-signature] is not cached, and holds a JWT access token, an id_token with at_hash and nonce, and the scopes', async () => {
    const front = await signIn();
    const response = await exchange(front.code, front.verifier);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(response.body).toMatchObject({ token_type: 'Bearer', scope: expect.stringContaining('openid') });
    expect(decodeProtectedHeader(response.body.access_token as string)).toMatchObject({ alg: 'RS256' });
    const idToken = decodeJwt(response.body.id_token as string);
    expect(idToken.nonce).toBe(front.nonce);
    const atHash = halfHashOf(response.body.access_token as string);
    expect(idToken.at_hash).toBe(atHash);
  });
});

describe('access token lifetime: exp - iat equals the client AccessTokenLifetime', () => {
  it('[#token-lifetime-issued] equals expires_in, within the documented range', async () => {
    const front = await signIn();
    const response = await exchange(front.code, front.verifier);
    const claims = decodeJwt(response.body.access_token as string);
    const lifetime = (claims.exp as number) - (claims.iat as number);
    expect(lifetime).toBe(response.body.expires_in);
    expect(lifetime).toBeGreaterThanOrEqual(60);
    expect(lifetime).toBeLessThanOrEqual(3600);
  });

  it('[#token-lifetime-issued] [#token-lifetime-default] is 3600 s (the default and maximum) for a client that keeps the default', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const front = await signIn();
    const response = await exchange(front.code, front.verifier);
    const claims = decodeJwt(response.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(response.body.expires_in).toBe(3600);
  });

  it('[#token-lifetime-issued] [#token-lifetime-range] is 60 s (the minimum) for a client set to 60', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const front = await signInForCode(target(), { client: onlineClient, params: { scope: 'openid ocsapi' } });
    const response = await redeemCode(target(), front, onlineClient);
    const claims = decodeJwt(response.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    expect(response.body.expires_in).toBe(60);
    expect(response.body.refresh_token).toBeUndefined();
  });
});

describe('oidcc-codereuse-30seconds: a replay after the code has expired', () => {
  it('[#code-single-use] refuses the replay after its 300 s are over, and revokes nothing', async (ctx) => {
    need(ctx, target(), 'time-control');
    const front = await signIn();
    const first = await exchange(front.code, front.verifier);
    await target().advanceClock?.(301);
    const replay = await exchange(front.code, front.verifier);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(first.body.refresh_token as string)).status).toBe(200);
  });
});

describe('a failed redemption by its own client uses the code up', () => {
  const wrongRequests: [string, (verifier: string) => Record<string, string>][] = [
    ['a wrong code_verifier', (verifier) => ({ code_verifier: `${verifier}x` })],
    ['another redirect_uri', () => ({ redirect_uri: 'https://app.example.com/other-callback' })],
  ];
  it.for(wrongRequests)(
    '[#code-used-up-on-failure] after %s, the right request is refused too',
    async ([, wrong], ctx) => {
      need(ctx, target(), 'in-process mock');
      const front = await signIn();
      const failed = await exchange(front.code, front.verifier, wrong(front.verifier));
      expect(failed.body.error).toBe('invalid_grant');
      const retried = await exchange(front.code, front.verifier);
      expect(retried.status).toBe(400);
      expect(retried.body.error).toBe('invalid_grant');
      // Nothing of it is left in the store: the code is gone, not marked.
      expect(target().mock?.context.store.codes.get(handleHash(front.code))).toBeUndefined();
    },
  );
});
