import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { halfHashOf, redeemCode, signInForCode } from '../../harness/hybrid-flow.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
// Every spec here signs a user in.
beforeEach((ctx) => need(ctx, target(), 'test-user'));
const signIn = () => signInForCode(target(), { client: target().client, user: target().user ?? undefined });

describe('front-channel id_token', () => {
  it('[#id-token-signature] [#c-hash] [#nonce-required] is RS256-signed with a kid from the JWKS, and carries nonce, c_hash, tid and sid', async () => {
    const front = await signIn();
    const idToken = front.fields.id_token as string;
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });

    const jwks = await (await fetch(`${target().issuer}/.well-known/openid-configuration/jwks`)).json();
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: target().issuer,
      audience: target().client.id,
      currentDate: await target().now(),
    });
    const expectedCHash = halfHashOf(front.code);
    expect(payload).toMatchObject({
      sub: expect.any(String),
      nonce: front.nonce,
      c_hash: expectedCHash,
      tid: target().tenantId,
      sid: expect.any(String),
      auth_time: expect.any(Number),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(300);
  });

  it('carries no access token or personal data beyond the subject', async () => {
    const front = await signIn();
    expect(front.fields.access_token).toBeUndefined();
    const { payload } = await jwtVerify(
      front.fields.id_token as string,
      createLocalJWKSet(
        await (await fetch(`${target().issuer}/.well-known/openid-configuration/jwks`)).json(),
      ),
      { currentDate: await target().now() },
    );
    expect(payload.email).toBeUndefined();
    expect(payload.at_hash).toBeUndefined();
  });

  it('[#s-hash] carries s_hash (the left half of SHA-256 of state) in both id_tokens of a sign-in, and none without state', async () => {
    const claims = (token: unknown) =>
      JSON.parse(Buffer.from(String(token).split('.')[1] as string, 'base64url').toString());
    const front = await signIn();
    const expected = halfHashOf(front.state);
    expect(claims(front.fields.id_token).s_hash).toBe(expected);
    const tokens = await redeemCode(target(), front, target().client);
    expect(claims(tokens.body.id_token).s_hash).toBe(expected);
    const stateless = await signInForCode(target(), {
      client: target().client,
      user: target().user ?? undefined,
      params: { state: undefined },
    });
    expect(claims(stateless.fields.id_token)).not.toHaveProperty('s_hash');
  });

  it('[#c-hash] is bound to its own code: each sign-in gets a different c_hash', async () => {
    const [one, two] = [await signIn(), await signIn()];
    const cHash = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).c_hash;
    expect(cHash(one.fields.id_token as string)).not.toBe(cHash(two.fields.id_token as string));
  });
});
