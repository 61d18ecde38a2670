/**
 * Rules of the code exchange: codes are single use and live 300 s; a replayed code fails with invalid_grant
 * and revokes what its first use issued; redirect_uri must match; PKCE S256 is checked; access tokens are JWTs
 * whose `exp - iat` is the client's AccessTokenLifetime.
 * OpenID Foundation: oidcc-codereuse, oidcc-codereuse-30seconds, oidcc-ensure-pkce-code-verifier-required.
 */
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, redeemCode, signInForCode, tokenRequest } from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { offlineClient, onlineClient, otherTenantClient, tenant } from '../support/test-seed.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

const auth = { id: offlineClient.id, secret: offlineClient.secret };
const exchange = (code: string, verifier: string | undefined, extra: Record<string, string> = {}) =>
  tokenRequest(
    idp,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: offlineClient.redirectUri,
      ...(verifier !== undefined && { code_verifier: verifier }),
      ...extra,
    },
    auth,
  );

describe('[#code-single-use] oidcc-codereuse: authorization codes are single use', () => {
  it('refuses a second use with invalid_grant and revokes the tokens of the first use', async () => {
    const front = await signInForCode(idp);
    const first = await exchange(front.code, front.verifier);
    expect(first.status).toBe(200);
    const namespaces = `${idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
    expect((await callApi(namespaces, first.body.access_token as string)).status).toBe(200);

    const second = await exchange(front.code, front.verifier);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');

    expect((await callApi(namespaces, first.body.access_token as string)).status).toBe(401);
    const refresh = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
      auth,
    );
    expect(refresh.body.error).toBe('invalid_grant');
  });
});

describe('[#code-lifetime] authorization code lifetime: 300 seconds', () => {
  it('redeems a code 299 s old', async () => {
    const front = await signInForCode(idp);
    idp.clock.advance(299);
    expect((await exchange(front.code, front.verifier)).status).toBe(200);
  });

  it('refuses a code 300 s old with invalid_grant', async () => {
    const front = await signInForCode(idp);
    idp.clock.advance(300);
    const response = await exchange(front.code, front.verifier);
    expect(response.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/),
    });
  });
});

describe('[#code-redirect-match] redirect_uri must match the authorization request', () => {
  it.each([
    ['a different registered URI', 'https://app.example.com/other-callback'],
    ['a trailing slash', `${offlineClient.redirectUri}/`],
  ])('refuses %s', async (_case, redirectUri) => {
    const front = await signInForCode(idp);
    const response = await exchange(front.code, front.verifier, { redirect_uri: redirectUri });
    expect(response.body.error).toBe('invalid_grant');
  });

  it('refuses a missing redirect_uri', async () => {
    const front = await signInForCode(idp);
    const response = await tokenRequest(
      idp,
      { grant_type: 'authorization_code', code: front.code, code_verifier: front.verifier },
      auth,
    );
    expect(response.body.error).toBe('invalid_grant');
  });
});

describe('[#pkce] PKCE S256 (RFC 7636)', () => {
  it('oidcc-ensure-pkce-code-verifier-required: refuses a missing code_verifier', async () => {
    const front = await signInForCode(idp);
    expect((await exchange(front.code, undefined)).body.error).toBe('invalid_grant');
  });

  it('refuses a wrong code_verifier', async () => {
    const front = await signInForCode(idp);
    expect((await exchange(front.code, `${front.verifier}x`)).body.error).toBe('invalid_grant');
  });

  it('refuses a code_verifier when the request had no code_challenge (PKCE downgrade)', async () => {
    const front = await signInForCode(idp, {
      params: { code_challenge: undefined, code_challenge_method: undefined },
    });
    expect((await exchange(front.code, front.verifier)).body.error).toBe('invalid_grant');
  });

  it('accepts a code without PKCE when none was asked for', async () => {
    const front = await signInForCode(idp, {
      params: { code_challenge: undefined, code_challenge_method: undefined },
    });
    expect((await exchange(front.code, undefined)).status).toBe(200);
  });

  it('checks the verifier against the challenge with SHA-256', async () => {
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const front = await signInForCode(idp, {
      params: { code_challenge: challenge, code_challenge_method: 'S256' },
    });
    expect((await exchange(front.code, verifier)).status).toBe(200);
  });
});

describe('[#code-single-use] codes belong to their client', () => {
  it("refuses another client's code, and the rightful client can still redeem it", async () => {
    const front = await signInForCode(idp);
    const stolen = await redeemCode(idp, front, offlineClient, otherTenantClient);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await exchange(front.code, front.verifier)).status).toBe(200);
  });

  it('refuses an unknown code', async () => {
    expect((await exchange('not-a-code', 'x'.repeat(43))).body.error).toBe('invalid_grant');
  });

  it('refuses a missing code with invalid_request', async () => {
    const response = await tokenRequest(
      idp,
      { grant_type: 'authorization_code', redirect_uri: offlineClient.redirectUri },
      auth,
    );
    expect(response.body.error).toBe('invalid_request');
  });
});

describe('[#id-token-signature] token response', () => {
  it('is not cached, and holds a JWT access token, an id_token with at_hash and nonce, and the scopes', async () => {
    const front = await signInForCode(idp);
    const response = await exchange(front.code, front.verifier);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile email ocsapi offline_access',
    });
    expect(decodeProtectedHeader(response.body.access_token as string)).toMatchObject({
      alg: 'RS256',
      typ: 'at+jwt',
    });
    const idToken = decodeJwt(response.body.id_token as string);
    expect(idToken.nonce).toBe(front.nonce);
    const atHash = createHash('sha256')
      .update(response.body.access_token as string)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(idToken.at_hash).toBe(atHash);
  });
});

describe('[#token-lifetime-issued] access token lifetime: exp - iat equals the client AccessTokenLifetime', () => {
  it('[#token-lifetime-default] is 3600 s (the default and maximum) for a client that keeps the default', async () => {
    const front = await signInForCode(idp);
    const response = await exchange(front.code, front.verifier);
    const claims = decodeJwt(response.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(response.body.expires_in).toBe(3600);
  });

  it('[#token-lifetime-range] is 60 s (the minimum) for a client set to 60', async () => {
    const front = await signInForCode(idp, { client: onlineClient, params: { scope: 'openid ocsapi' } });
    const response = await redeemCode(idp, front, onlineClient);
    const claims = decodeJwt(response.body.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    expect(response.body.expires_in).toBe(60);
    expect(response.body.refresh_token).toBeUndefined();
  });
});

describe('[#code-single-use] oidcc-codereuse-30seconds: a replay shortly after expiry is still recognised', () => {
  it('revokes what the code issued when it is replayed after its 300 s are over', async () => {
    const front = await signInForCode(idp);
    const first = await exchange(front.code, front.verifier);
    idp.clock.advance(301);
    // Every state write purges what has expired; the code must survive that to be recognised.
    idp.context.store.purgeExpired(idp.clock.now());
    const replay = await exchange(front.code, front.verifier);
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.body.error_description).toMatch(/already used/);
    const refresh = await tokenRequest(
      idp,
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
      auth,
    );
    expect(refresh.body.error).toBe('invalid_grant');
  });
});
