/**
 * What the native app asks of the identity server, one function per protocol step, with openid-client doing the
 * checks: discovery, the sign-in request, redeeming the form_post, refresh, revocation, the end-session URL.
 */
import * as client from 'openid-client';
import type { NativeAppConfig } from './config.ts';

/** What the app keeps between opening the browser and the loopback visit: never written anywhere. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export function newSignInChecks(): SignInChecks {
  return {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
  };
}

export async function discover(config: NativeAppConfig): Promise<client.Configuration> {
  const { issuer, expectedIssuer, clientId, clientSecret } = config;
  // With an expected issuer apart from the authority (Data Hub may announce another), discovery reads the
  // authority's own document, and every token's `iss` is then checked against the issuer it announces.
  const server = expectedIssuer
    ? new URL(`${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration`)
    : issuer;
  const configuration = await client.discovery(
    server,
    clientId,
    undefined,
    client.ClientSecretBasic(clientSecret),
    {
      // The hybrid flow: the form_post carries a code and an id_token (checked with c_hash). Plain http is only
      // allowed for a local identity server, such as the bundled mock.
      execute: [
        client.useCodeIdTokenResponseType,
        ...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []),
      ],
    },
  );
  const announced = configuration.serverMetadata().issuer;
  if (expectedIssuer && announced !== expectedIssuer)
    throw new Error(
      `the identity server announces the issuer ${announced}, not EXPECTED_ISSUER ${expectedIssuer}`,
    );
  return configuration;
}

/** response_type=code id_token by form_post, with state, nonce, PKCE (S256), and the tenant named. */
export async function authorizationUrl(
  configuration: client.Configuration,
  config: NativeAppConfig,
  checks: SignInChecks,
): Promise<URL> {
  return client.buildAuthorizationUrl(configuration, {
    redirect_uri: config.redirectUri.href,
    response_mode: 'form_post',
    scope: config.scopes,
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: 'S256',
    acr_values: `tenant:${config.tenantId}`,
  });
}

/**
 * The form_post the browser delivered to the loopback address: openid-client checks state, the id_token (signature,
 * nonce, c_hash), then redeems the code with the client secret and the PKCE verifier.
 */
export async function redeem(
  configuration: client.Configuration,
  config: NativeAppConfig,
  form: URLSearchParams,
  checks: SignInChecks,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const request = new Request(config.redirectUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return client.authorizationCodeGrant(configuration, request, {
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    pkceCodeVerifier: checks.codeVerifier,
    idTokenExpected: true,
  });
}

/** Who signed in: the identity server puts the name and email in UserInfo, not in the id_token. */
export const userInfo = (configuration: client.Configuration, accessToken: string, subject: string) =>
  client.fetchUserInfo(configuration, accessToken, subject);

export const refresh = (configuration: client.Configuration, refreshToken: string) =>
  client.refreshTokenGrant(configuration, refreshToken);

export const revoke = (configuration: client.Configuration, refreshToken: string) =>
  client.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' });

export const endSessionUrl = (
  configuration: client.Configuration,
  config: NativeAppConfig,
  idToken: string | undefined,
  state: string,
) =>
  client.buildEndSessionUrl(configuration, {
    post_logout_redirect_uri: config.postLogoutRedirectUri.href,
    state,
    ...(idToken && { id_token_hint: idToken }),
  });
