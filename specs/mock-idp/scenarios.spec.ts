/**
 * Scenarios: each one makes the mock produce exactly its stated defect and nothing else (the responses are decoded
 * and judged by an independent checker below), once per `times`, and the response after is correct again.
 */
import { createHmac } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  alice,
  carol,
  halfHashOf,
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
import { scenarioCatalogue } from '../../mock-idp/src/scenarios/catalogue.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());
afterEach(() => idp.scenarios.clearAll());

const jwks = async (): Promise<JSONWebKeySet> =>
  (await fetch(`${idp.issuer}/.well-known/openid-configuration/jwks`)).json();

interface Expected {
  nonce: string;
  code?: string;
  accessToken?: string;
  sub?: string;
}

/**
 * Everything wrong with an id_token, as a careful relying party would see it: an empty list for a good one. Written
 * apart from the mock (jose and the standard's rules), so it can disagree with it.
 */
async function idTokenDefects(token: string, expected: Expected, keys?: JSONWebKeySet): Promise<string[]> {
  const defects: string[] = [];
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const published = keys ?? (await jwks());
  if (header.alg !== 'RS256') defects.push(`alg ${header.alg}`);
  else if (header.kid === undefined) defects.push('no kid');
  else if (!published.keys.some((key) => key.kid === header.kid)) defects.push('unknown kid');
  if (header.alg === 'RS256' && !defects.includes('unknown kid')) {
    const candidates = header.kid ? published.keys.filter((key) => key.kid === header.kid) : published.keys;
    let verified = false;
    for (const key of candidates) {
      await jwtVerify(token, await importJWK(key, 'RS256'), {
        currentDate: new Date((claims.iat ?? 0) * 1000),
      }).then(
        () => {
          verified = true;
        },
        (error: { code?: string }) => {
          if (error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return;
          verified = true; // only the signature is judged here; the claims below
        },
      );
    }
    if (!verified) defects.push('signature');
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== idp.issuer) defects.push('iss');
  if (claims.aud !== offlineClient.id) defects.push('aud');
  if (claims.sub === undefined) defects.push('no sub');
  else if (claims.sub !== (expected.sub ?? alice.id)) defects.push('sub');
  if (claims.iat === undefined) defects.push('no iat');
  else if (claims.iat > now + 60) defects.push('iat in the future');
  if ((claims.exp ?? 0) <= now) defects.push('expired');
  if (claims.nonce !== expected.nonce) defects.push('nonce');
  if (claims.tid !== tenant.id) defects.push('tid');
  if (expected.code !== undefined) {
    if (claims.c_hash === undefined) defects.push('no c_hash');
    else if (claims.c_hash !== halfHashOf(expected.code)) defects.push('c_hash');
  }
  if (expected.accessToken !== undefined && claims.at_hash !== halfHashOf(expected.accessToken))
    defects.push('at_hash');
  return defects;
}

/** The scenario a tagged title names: '[#scenario-expired] expired' is expired. */
const nameOf = (tagged: string) => tagged.replace(/^\[#scenario-[\w-]+\] /, '');

const set = (name: string, options: Record<string, unknown> = {}) =>
  idp.scenarios.set({ clientId: offlineClient.id, name, ...options });

async function frontChannel() {
  const front = await signInForCode(idp, { client: offlineClient });
  return {
    front,
    defects: await idTokenDefects(front.fields.id_token as string, { nonce: front.nonce, code: front.code }),
  };
}

const frontForgeries: Record<string, string[]> = {
  '[#scenario-invalid-iss] invalid-iss': ['iss'],
  '[#scenario-invalid-aud] invalid-aud': ['aud'],
  '[#scenario-missing-sub] missing-sub': ['no sub'],
  '[#scenario-missing-iat] missing-iat': ['no iat'],
  '[#scenario-invalid-chash] invalid-chash': ['c_hash'],
  '[#scenario-missing-chash] missing-chash': ['no c_hash'],
  '[#scenario-invalid-sig-rs256] invalid-sig-rs256': ['signature'],
  '[#scenario-sig-hs256] sig-hs256': ['alg HS256'],
  '[#scenario-alg-none] alg-none': ['alg none'],
  '[#scenario-kid-absent-single-jwks] kid-absent-single-jwks': ['no kid'],
  '[#scenario-kid-absent-multiple-jwks] kid-absent-multiple-jwks': ['no kid'],
  '[#scenario-unknown-kid] unknown-kid': ['unknown kid'],
  '[#scenario-nonce-invalid] nonce-invalid': ['nonce'],
  '[#scenario-expired] expired': ['expired'],
  '[#scenario-iat-in-future] iat-in-future': ['iat in the future'],
  '[#scenario-wrong-tenant] wrong-tenant': ['tid'],
};

describe('the authorization response', () => {
  it('is correct with no scenario set (the checker finds nothing wrong in a genuine response)', async () => {
    expect((await frontChannel()).defects).toEqual([]);
  });

  for (const [tagged, defects] of Object.entries(frontForgeries)) {
    const name = nameOf(tagged);
    it(`${tagged}: the front-channel id_token has exactly ${defects.join(', ')}, once`, async () => {
      // A fresh mock publishes one key; kid-absent-single-jwks needs that (other scenarios may have added keys).
      const own = name === 'kid-absent-single-jwks' ? await startTestIdp() : idp;
      try {
        await own.scenarios.set({
          clientId: offlineClient.id,
          name,
          ...(name === 'sig-hs256' && { clientSecret: offlineClient.secret }),
        });
        const front = await signInForCode(own, { client: offlineClient });
        const token = front.fields.id_token as string;
        const keys = (await (
          await fetch(`${own.issuer}/.well-known/openid-configuration/jwks`)
        ).json()) as JSONWebKeySet;
        const withOwnIssuer = (found: string[]) =>
          own === idp ? found : found.filter((defect) => defect !== 'iss');
        expect(
          withOwnIssuer(await idTokenDefects(token, { nonce: front.nonce, code: front.code }, keys)),
        ).toEqual(defects);
        expect(front.fields.code).toBeTruthy();
        if (name === 'sig-hs256') {
          const [header, payload, signature] = token.split('.');
          expect(
            createHmac('sha256', offlineClient.secret).update(`${header}.${payload}`).digest('base64url'),
          ).toBe(signature);
        }
        if (name === 'kid-absent-multiple-jwks') expect(keys.keys.length).toBeGreaterThan(1);
        if (name === 'kid-absent-single-jwks') expect(keys.keys).toHaveLength(1);
        // Used up: the next sign-in is correct again.
        const next = await signInForCode(own, { client: offlineClient });
        const nextDefects = await idTokenDefects(
          next.fields.id_token as string,
          { nonce: next.nonce, code: next.code },
          keys,
        );
        expect(withOwnIssuer(nextDefects)).toEqual([]);
      } finally {
        if (own !== idp) await own.dispose();
      }
    });
  }

  it('[#scenario-response-iss-mismatch] response-iss-mismatch: only the iss parameter names another issuer', async () => {
    await set('response-iss-mismatch');
    const { front, defects } = await frontChannel();
    expect(front.fields.iss).not.toBe(idp.issuer);
    expect(front.fields.state).toBe(front.state);
    expect(defects).toEqual([]);
    // Without the scenario there is no iss at all: the mock sends none by default, as IdentityServer4.
    expect((await signInForCode(idp, { client: offlineClient })).fields).not.toHaveProperty('iss');
  });

  it('[#scenario-state-mismatch] state-mismatch: only state differs from the one sent', async () => {
    await set('state-mismatch');
    const { front, defects } = await frontChannel();
    expect(front.fields.state).not.toBe(front.state);
    expect(front.fields).not.toHaveProperty('iss');
    expect(defects).toEqual([]);
    const next = await signInForCode(idp, { client: offlineClient });
    expect(next.fields.state).toBe(next.state);
  });

  for (const tagged of [
    '[#scenario-access_denied] access_denied',
    '[#scenario-login_required] login_required',
    '[#scenario-consent_required] consent_required',
    '[#scenario-interaction_required] interaction_required',
  ]) {
    const error = nameOf(tagged);
    it(`${tagged}: the response is that error, with state and iss, and no code`, async () => {
      await set(error);
      const front = await signInForCode(idp, { client: offlineClient }).catch((failure: Error) => failure);
      expect(front).toBeInstanceOf(Error);
      expect((front as Error).message).toContain(`"error":"${error}"`);
      expect((front as Error).message).not.toContain('"code"');
      const log = await idp.requests.list({ clientId: offlineClient.id, endpoint: 'authorize' });
      expect(log.length).toBeGreaterThan(0);
      expect((await frontChannel()).defects).toEqual([]);
    });
  }

  it('[#scenario-signing-key-rotation] signing-key-rotation: signed with a key published only from the moment it was set', async () => {
    const before = await jwks();
    await set('signing-key-rotation');
    const front = await signInForCode(idp, { client: offlineClient });
    const token = front.fields.id_token as string;
    expect(await idTokenDefects(token, { nonce: front.nonce, code: front.code }, before)).toEqual([
      'unknown kid',
    ]);
    expect(await idTokenDefects(token, { nonce: front.nonce, code: front.code })).toEqual([]);
    expect(decodeProtectedHeader(token).kid).not.toBe(idp.context.keys.currentKid);
  });
});

describe('the token endpoint', () => {
  const tokenForgeries: Record<string, string[]> = {
    '[#scenario-token-invalid-iss] token-invalid-iss': ['iss'],
    '[#scenario-token-invalid-aud] token-invalid-aud': ['aud'],
    '[#scenario-token-sub-mismatch] token-sub-mismatch': ['sub'],
    '[#scenario-token-nonce-invalid] token-nonce-invalid': ['nonce'],
    '[#scenario-token-invalid-sig] token-invalid-sig': ['signature'],
  };
  for (const [tagged, defects] of Object.entries(tokenForgeries)) {
    const name = nameOf(tagged);
    it(`${tagged}: the token endpoint's id_token has exactly ${defects.join(', ')}; the front channel's none`, async () => {
      await set(name);
      const { front, tokens } = await signInForTokens(idp, { client: offlineClient });
      expect(
        await idTokenDefects(front.fields.id_token as string, { nonce: front.nonce, code: front.code }),
      ).toEqual([]);
      const expected = { nonce: front.nonce, accessToken: tokens.access_token };
      expect(await idTokenDefects(tokens.id_token, expected)).toEqual(defects);
      const again = await signInForTokens(idp, { client: offlineClient });
      expect(
        await idTokenDefects(again.tokens.id_token, {
          nonce: again.front.nonce,
          accessToken: again.tokens.access_token,
        }),
      ).toEqual([]);
    });
  }

  const failures: Record<string, { status: number; body: unknown }> = {
    invalid_grant: { status: 400, body: { error: 'invalid_grant' } },
    invalid_client: { status: 400, body: { error: 'invalid_client' } },
  };
  for (const [tagged, { status, body }] of Object.entries(failures)) {
    const name = nameOf(tagged);
    it(`${tagged}: the code exchange answers ${status} ${name}, without spending the code`, async () => {
      await set(name);
      const front = await signInForCode(idp, { client: offlineClient });
      const refused = await redeemCode(idp, front, offlineClient);
      expect(refused.status).toBe(status);
      expect(refused.body).toMatchObject(body as object);
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect((await redeemCode(idp, front, offlineClient)).status).toBe(200);
    });
  }

  it('[#scenario-server-error] server-error: HTTP 500 with an empty body, then the usual answer', async () => {
    await set('server-error');
    const front = await signInForCode(idp, { client: offlineClient });
    const response = await rawTokenRequest(front);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
    expect((await redeemCode(idp, front, offlineClient)).status).toBe(200);
  });

  it('[#scenario-malformed-json] malformed-json: 200 with JSON cut off, then the usual answer', async () => {
    await set('malformed-json');
    const front = await signInForCode(idp, { client: offlineClient });
    const response = await rawTokenRequest(front);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect((await redeemCode(idp, front, offlineClient)).status).toBe(200);
  });

  it('[#scenario-slow] slow: the usual answer, after the seconds asked for', async () => {
    await set('slow', { seconds: 1 });
    const front = await signInForCode(idp, { client: offlineClient });
    const started = performance.now();
    const answer = await redeemCode(idp, front, offlineClient);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.status).toBe(200);
    expect(
      await idTokenDefects(answer.body.id_token as string, {
        nonce: front.nonce,
        accessToken: answer.body.access_token as string,
      }),
    ).toEqual([]);
  });

  async function rawTokenRequest(front: { code: string; verifier: string }) {
    return fetch(`${idp.issuer}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${offlineClient.id}:${offlineClient.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: front.code,
        redirect_uri: offlineClient.redirectUri,
        code_verifier: front.verifier,
      }),
    });
  }
});

describe('refresh', () => {
  const refresh = (refreshToken: string) =>
    tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: refreshToken }, offlineClient);

  for (const [tagged, defect] of [
    ['[#scenario-refresh-invalid-iss] refresh-invalid-iss', 'iss'],
    ['[#scenario-refresh-sub-changed] refresh-sub-changed', 'sub'],
  ] as const) {
    const name = nameOf(tagged);
    it(`${tagged}: the refreshed id_token has exactly ${defect}; the code exchange is untouched`, async () => {
      await set(name);
      const { front, tokens } = await signInForTokens(idp, { client: offlineClient });
      expect(
        await idTokenDefects(tokens.id_token, { nonce: front.nonce, accessToken: tokens.access_token }),
      ).toEqual([]);
      const refreshed = await refresh(tokens.refresh_token as string);
      expect(refreshed.status).toBe(200);
      const body = refreshed.body as { id_token: string; access_token: string; refresh_token: string };
      // A refreshed id_token carries no nonce (OIDC Core 12.2): judged without one.
      const defects = await idTokenDefects(body.id_token, {
        nonce: undefined as unknown as string,
        accessToken: body.access_token,
      });
      expect(defects).toEqual([defect]);
      const next = (await refresh(body.refresh_token)).body as { id_token: string; access_token: string };
      expect(
        await idTokenDefects(next.id_token, {
          nonce: undefined as unknown as string,
          accessToken: next.access_token,
        }),
      ).toEqual([]);
    });
  }

  it('[#scenario-refresh-invalid_grant] refresh-invalid_grant: a refresh answers invalid_grant; the code exchange is untouched', async () => {
    await set('refresh-invalid_grant');
    const { tokens } = await signInForTokens(idp, { client: offlineClient });
    const refused = await refresh(tokens.refresh_token as string);
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
  });
});

describe('UserInfo', () => {
  const userinfo = (accessToken: string) =>
    fetch(`${idp.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('[#scenario-userinfo-invalid-sub] userinfo-invalid-sub: only sub differs', async () => {
    const { tokens } = await signInForTokens(idp, { client: offlineClient });
    const genuine = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect(genuine.sub).toBe(alice.id);
    await set('userinfo-invalid-sub');
    const forged = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect({ ...forged, sub: alice.id }).toEqual(genuine);
    expect(forged.sub).not.toBe(alice.id);
    expect(((await (await userinfo(tokens.access_token)).json()) as JWTPayload).sub).toBe(alice.id);
  });

  it('[#scenario-userinfo-unauthorized] userinfo-unauthorized: 401 invalid_token with a Bearer challenge', async () => {
    const { tokens } = await signInForTokens(idp, { client: offlineClient });
    await set('userinfo-unauthorized');
    const refused = await userinfo(tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
    expect((await userinfo(tokens.access_token)).status).toBe(200);
  });

  it('[#scenario-userinfo-server-error] userinfo-server-error: HTTP 500 with an empty body', async () => {
    const { tokens } = await signInForTokens(idp, { client: offlineClient });
    await set('userinfo-server-error');
    const failed = await userinfo(tokens.access_token);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
  });
});

describe('discovery and keys', () => {
  it('[#scenario-discovery-issuer-mismatch] discovery-issuer-mismatch: only issuer differs', async () => {
    const url = `${idp.issuer}/.well-known/openid-configuration`;
    const genuine = (await (await fetch(url)).json()) as Record<string, unknown>;
    await set('discovery-issuer-mismatch');
    const forged = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(forged.issuer).not.toBe(idp.issuer);
    expect({ ...forged, issuer: idp.issuer }).toEqual(genuine);
    expect(await (await fetch(url)).json()).toEqual(genuine);
  });

  it('[#scenario-jwks-unavailable] jwks-unavailable: 503, then the keys again', async () => {
    await set('jwks-unavailable', { times: 2 });
    const url = `${idp.issuer}/.well-known/openid-configuration/jwks`;
    expect((await fetch(url)).status).toBe(503);
    expect((await fetch(url)).status).toBe(503);
    const keys = (await (await fetch(url)).json()) as JSONWebKeySet;
    expect(keys.keys.map((key) => key.kid)).toContain(idp.context.keys.currentKid);
  });
});

describe('times, clients and the catalogue', () => {
  it('changes the next N responses with times N, every one until cleared, and the listing counts down', async () => {
    const scenario = await set('invalid-iss', { times: 2 });
    expect(scenario).toMatchObject({ name: 'invalid-iss', times: 2, remaining: 2, applied: 0 });
    expect((await frontChannel()).defects).toEqual(['iss']);
    expect(await idp.scenarios.list(offlineClient.id)).toMatchObject([{ remaining: 1, applied: 1 }]);
    expect((await frontChannel()).defects).toEqual(['iss']);
    expect(await idp.scenarios.list()).toEqual([]);
    expect((await frontChannel()).defects).toEqual([]);

    const lasting = await set('invalid-aud', { times: 'until-cleared' });
    for (let round = 0; round < 3; round += 1) expect((await frontChannel()).defects).toEqual(['aud']);
    expect(await idp.scenarios.clear(lasting.id)).toBe(true);
    expect((await frontChannel()).defects).toEqual([]);
  });

  it("never reaches another client's responses", async () => {
    await idp.scenarios.set({ clientId: onlineClient.id, name: 'invalid-iss', times: 'until-cleared' });
    expect((await frontChannel()).defects).toEqual([]);
    expect(await idp.scenarios.list(offlineClient.id)).toEqual([]);
    expect(await idp.scenarios.list(onlineClient.id)).toHaveLength(1);
  });

  it("set for one user, reaches only that user's authorization response, code exchange, refresh and UserInfo", async () => {
    const forCarol = (name: string) => set(name, { userId: carol.id, times: 'until-cleared' });
    await forCarol('invalid-iss');
    await forCarol('token-invalid-aud');
    await forCarol('userinfo-invalid-sub');
    await forCarol('refresh-invalid-iss');
    const userinfo = async (accessToken: string) =>
      (
        (await (
          await fetch(`${idp.issuer}/connect/userinfo`, {
            headers: { authorization: `Bearer ${accessToken}` },
          })
        ).json()) as JWTPayload
      ).sub;
    const refreshed = async (refreshToken: string) => {
      const answer = await tokenRequest(
        idp,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        offlineClient,
      );
      return decodeJwt((answer.body as { id_token: string }).id_token).iss;
    };

    const aliceFront = await signInForCode(idp, { client: offlineClient, user: alice });
    expect(await idTokenDefects(aliceFront.fields.id_token as string, { nonce: aliceFront.nonce })).toEqual(
      [],
    );
    const aliceTokens = (await redeemCode(idp, aliceFront, offlineClient)).body as Record<string, string>;
    expect(decodeJwt(aliceTokens.id_token as string).aud).toBe(offlineClient.id);
    expect(await userinfo(aliceTokens.access_token as string)).toBe(alice.id);
    expect(await refreshed(aliceTokens.refresh_token as string)).toBe(idp.issuer);

    const carolFront = await signInForCode(idp, { client: offlineClient, user: carol });
    expect(
      await idTokenDefects(carolFront.fields.id_token as string, { nonce: carolFront.nonce, sub: carol.id }),
    ).toEqual(['iss']);
    const carolTokens = (await redeemCode(idp, carolFront, offlineClient)).body as Record<string, string>;
    expect(decodeJwt(carolTokens.id_token as string).aud).not.toBe(offlineClient.id);
    expect(await userinfo(carolTokens.access_token as string)).not.toBe(carol.id);
    expect(await refreshed(carolTokens.refresh_token as string)).not.toBe(idp.issuer);

    const log = await idp.requests.list({ clientId: offlineClient.id, userId: carol.id });
    expect(new Set(log.map((entry) => `${entry.endpoint} ${entry.grantType ?? ''}`.trim()))).toEqual(
      new Set(['login', 'token authorization_code', 'token refresh_token', 'userinfo']),
    );
    expect(log.every((entry) => entry.scenario !== undefined)).toBe(true);
  });

  it('refuses a user scenario for discovery or JWKS (they name no user), and an unknown user', async () => {
    await expect(set('jwks-unavailable', { userId: carol.id })).rejects.toMatchObject({ status: 400 });
    await expect(set('invalid-iss', { userId: 'no-such-user' })).rejects.toMatchObject({ status: 404 });
    expect(await idp.scenarios.list()).toEqual([]);
  });

  it('applies scenarios for the same response in the order they were set', async () => {
    await set('invalid-iss');
    await set('nonce-invalid');
    expect((await frontChannel()).defects).toEqual(['iss']);
    expect((await frontChannel()).defects).toEqual(['nonce']);
  });

  it('logs what it received, with the scenario that changed a response, and never a credential', async () => {
    await idp.requests.clear();
    await set('invalid-chash');
    const front = await signInForCode(idp, { client: offlineClient });
    let log = await idp.requests.list({ clientId: offlineClient.id });
    expect(log.filter((entry) => entry.endpoint === 'token')).toEqual([]);
    await redeemCode(idp, front, offlineClient);
    log = await idp.requests.list({ clientId: offlineClient.id });
    expect(log.map((entry) => entry.endpoint)).toEqual(['authorize', 'login', 'token']);
    expect(log[2]).toMatchObject({
      method: 'POST',
      status: 200,
      grantType: 'authorization_code',
      clientAuthentication: 'client_secret_basic',
    });
    const all = await idp.requests.list();
    expect(all.find((entry) => entry.endpoint === 'login' && entry.method === 'POST')).toMatchObject({
      scenario: 'invalid-chash',
    });
    const text = JSON.stringify(all);
    for (const secret of [offlineClient.secret, front.code, front.verifier, alice.password])
      expect(text).not.toContain(secret);
  });

  it("[#token-endpoint-errors] logs why a token request was refused, in words that never repeat what it sent (a fuzz run's find)", async () => {
    await idp.requests.clear();
    const sent = `scope-that-is-a-secret-${alice.password}`;
    const refused = await tokenRequest(idp, { grant_type: 'client_credentials', scope: sent }, adminClient);
    expect(refused.body).toEqual({ error: 'invalid_scope' });
    const [entry] = await idp.requests.list({ endpoint: 'token' });
    expect(entry?.errorDescription).toMatch(/may ask for/);
    expect(JSON.stringify(await idp.requests.list())).not.toContain(sent);
  });

  it('has a spec for every scenario of the catalogue, and a reference for each', () => {
    for (const scenario of scenarioCatalogue) {
      expect(scenario.references.length, scenario.name).toBeGreaterThan(0);
      expect(['accept', 'refuse', 'either', 'recover']).toContain(scenario.expect);
    }
  });
});
