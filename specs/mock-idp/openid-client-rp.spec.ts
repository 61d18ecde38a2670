/**
 * The mock works with openid-client, the relying-party library the sample app uses: discovery, hybrid
 * authorization URL, form_post callback validation (state, nonce, c_hash, signature, PKCE), refresh, userinfo,
 * revocation and the end-session URL.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, offlineClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

let idp: TestIdp;
let config: client.Configuration;

beforeAll(async () => {
  idp = await startTestIdp();
  config = await client.discovery(
    new URL(idp.issuer),
    offlineClient.id,
    undefined,
    client.ClientSecretBasic(offlineClient.secret),
    {
      execute: [client.allowInsecureRequests, client.useCodeIdTokenResponseType],
    },
  );
});
afterAll(() => idp.dispose());

/** What a server-side app receives at its form_post callback, as a fetch API Request. */
function formPostRequest(action: string, fields: Record<string, string>): Request {
  return new Request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

async function signIn(params: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: offlineClient.redirectUri,
    scope: 'openid profile email ocsapi offline_access',
    response_mode: 'form_post',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...params,
  });
  const { response } = await new UserAgent().signIn(url.href, alice);
  return { response, verifier, nonce, state };
}

describe('openid-client 6 against the mock (relying party interoperability)', () => {
  it('[#hybrid-response] completes the hybrid flow, refreshes, reads userinfo and builds the end-session URL', async () => {
    const { response, verifier, nonce, state } = await signIn();
    const tokens = await client.authorizationCodeGrant(
      config,
      formPostRequest(response.action, response.fields),
      {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        expectedState: state,
        idTokenExpected: true,
      },
    );
    const claims = tokens.claims();
    expect(claims?.sub).toBe(alice.id);
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeTruthy();

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const info = await client.fetchUserInfo(config, refreshed.access_token, alice.id);
    expect(info.email).toBe(alice.email);

    await client.tokenRevocation(config, refreshed.refresh_token as string);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: offlineClient.postLogoutRedirectUri,
      state: 'after-logout',
    });
    const logout = await fetch(endSession, { redirect: 'manual' });
    expect(logout.headers.get('location')).toBe(`${offlineClient.postLogoutRedirectUri}?state=after-logout`);
  });

  it('[#hybrid-response] detects a tampered front-channel response: openid-client rejects a code that does not match c_hash', async () => {
    const first = await signIn();
    const second = await signIn();
    const swapped = { ...first.response.fields, code: second.response.fields.code as string };
    await expect(
      client.authorizationCodeGrant(config, formPostRequest(first.response.action, swapped), {
        pkceCodeVerifier: first.verifier,
        expectedNonce: first.nonce,
        expectedState: first.state,
      }),
    ).rejects.toMatchObject({ cause: { cause: { claim: 'c_hash' } } });
  });
});
