/**
 * Everything the app asks of the identity server (the Data Hub authority, `{resource}/identity`), one method per
 * protocol step, with openid-client doing the checks: discovery, the sign-in request, redeeming the callback,
 * refresh, revocation, and the end-session URL. The metadata is fetched on first use and kept; if the server cannot
 * be reached, the next request tries again. When the server starts signing with a key this app has not seen, the
 * metadata and keys are fetched anew.
 */
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { AppConfig } from '../config.ts';
import {
  IdentityServerUnavailable,
  IssuerMismatch,
  isUnreachable,
  SignInFailed,
  SignInRequired,
} from './failures.ts';
import type { SignedInUser } from './session-data.ts';

/** What the app keeps between sending the browser to sign in and the callback (see http/sign-in-transaction.ts). */
export interface SignInExpectations {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The endpoints the app talks to, as the identity server's discovery document names them. */
export interface Endpoints {
  token_endpoint?: string | undefined;
  userinfo_endpoint?: string | undefined;
  revocation_endpoint?: string | undefined;
}

export interface SignedIn {
  response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  user: SignedInUser;
}

export class IdentityServer {
  #configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly settings: AppConfig,
    /** openid-client's fetch, when not the global one (an extension's: extension.ts). */
    private readonly fetch?: NonNullable<client.Configuration[typeof client.customFetch]>,
  ) {}

  /** The openid-client Configuration: server metadata plus this app's client id and secret. */
  configuration(): Promise<client.Configuration> {
    this.#configuration ??= this.#discover().catch((error: unknown) => {
      this.#configuration = null;
      throw isUnreachable(error) ? new IdentityServerUnavailable(error) : error;
    });
    return this.#configuration;
  }

  /**
   * Step 1 of the hybrid flow: where to send the browser. response_type=code id_token by form_post, with state,
   * nonce and PKCE (S256), and the tenant named (`acr_values=tenant:{id}`) so the identity server goes straight to it.
   */
  async authorizationUrl(expected: SignInExpectations): Promise<URL> {
    const { redirectUri, scopes, tenantId } = this.settings;
    return client.buildAuthorizationUrl(await this.configuration(), {
      redirect_uri: redirectUri,
      scope: scopes,
      response_mode: 'form_post',
      state: expected.state,
      nonce: expected.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(expected.codeVerifier),
      code_challenge_method: 'S256',
      acr_values: `tenant:${tenantId}`,
    });
  }

  /**
   * Step 2: the form_post the browser brought back. openid-client checks state, the id_token's signature, nonce
   * and c_hash, then redeems the code with the client secret and the PKCE verifier. The user's name and email come
   * from the UserInfo endpoint; the id_token is enough if that fails.
   */
  async redeem(callback: URLSearchParams, expected: SignInExpectations): Promise<SignedIn> {
    refuseBeforeRedeeming(callback.get('id_token'), this.settings.tenantId);
    try {
      return await this.#withCurrentKeys(async (configuration) => {
        // openid-client takes the callback as a fetch Request. Its URL must be the registered redirect URI itself
        // (never built from the Host header): it is sent again with the code, and must match exactly.
        const request = new Request(this.settings.redirectUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: callback,
        });
        const response = await client.authorizationCodeGrant(configuration, request, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        return { response, user: await this.#signedInUser(configuration, response, callback) };
      });
    } catch (error) {
      throw redemptionFailure(error);
    }
  }

  /**
   * Exchanges a refresh token for new tokens (the response carries the next refresh token: they rotate).
   * openid-client checks a refreshed id_token's signature, issuer, audience and expiry; this app checks that it
   * still names the signed-in user and the tenant (OpenID Connect Core 12.2).
   */
  async refresh(refreshToken: string, signedInSubject: string): Promise<client.TokenEndpointResponse> {
    let response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
    try {
      response = await client.refreshTokenGrant(await this.configuration(), refreshToken);
    } catch (error) {
      if (isUnreachable(error)) throw new IdentityServerUnavailable(error);
      if (error instanceof client.ResponseBodyError && error.error === 'invalid_grant') {
        throw new SignInRequired(
          'Your sign-in has ended: the refresh token expired or was revoked. Sign in again to continue.',
        );
      }
      throw error;
    }
    const claims = response.claims();
    if (claims && (claims.sub !== signedInSubject || !this.#ofThisTenant(claims))) {
      throw new SignInRequired(
        'The identity server answered the refresh for another user or tenant: nothing of it was kept. Sign in again.',
      );
    }
    return response;
  }

  /** The tenant the app signs in to (acr_values=tenant:…) is the one the id_token names. */
  #ofThisTenant(claims: client.IDToken): boolean {
    return claims.tid === undefined || claims.tid === this.settings.tenantId;
  }

  /** Revokes a refresh token at sign-out; a courtesy to the server: if it fails, sign-out goes on. */
  async revoke(refreshToken: string): Promise<void> {
    try {
      await client.tokenRevocation(await this.configuration(), refreshToken, {
        token_type_hint: 'refresh_token',
      });
    } catch (error) {
      const { name, message } = error as Error;
      console.warn(`sample-app: the refresh token could not be revoked at sign-out (${name}: ${message})`);
    }
  }

  /** Where to send the browser to end the session at the identity server, and come back with `state`. */
  async endSessionUrl(idToken: string | undefined, state: string): Promise<URL> {
    return client.buildEndSessionUrl(await this.configuration(), {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      state,
      ...(idToken && { id_token_hint: idToken }),
    });
  }

  /**
   * Runs a step that checks the identity server's signatures. If a signature names a key missing from the cached
   * JWKS, the server has rotated its keys: the connection is made again (a fresh JWKS) and the step retried once.
   * openid-client checks signatures before it sends anything, so the retry never spends a code twice.
   */
  async #withCurrentKeys<T>(step: (configuration: client.Configuration) => Promise<T>): Promise<T> {
    const used = this.configuration();
    try {
      return await step(await used);
    } catch (error) {
      if (!isUnknownSigningKey(error)) throw error;
      if (this.#configuration === used) this.#configuration = null;
      return step(await this.configuration());
    }
  }

  async endpoints(): Promise<Endpoints> {
    const { token_endpoint, userinfo_endpoint, revocation_endpoint } = (
      await this.configuration()
    ).serverMetadata();
    return { token_endpoint, userinfo_endpoint, revocation_endpoint };
  }

  async #signedInUser(
    configuration: client.Configuration,
    response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
    callback: URLSearchParams,
  ): Promise<SignedInUser> {
    const claims = response.claims();
    if (!claims)
      throw new SignInFailed('The sign-in response is incomplete', 'The identity server sent no id_token.');
    // openid-client checked this id_token (signature, nonce, c_hash) before the code was redeemed.
    const frontChannelClaims = decodeJwt(callback.get('id_token') ?? '');
    // Both id_tokens of a hybrid sign-in name the same user (OpenID Connect Core 3.3.3.6), of this app's tenant.
    if (claims.sub !== frontChannelClaims.sub) {
      throw new SignInFailed(
        'The sign-in response could not be verified',
        'The identity server named one user in the browser and another at the token endpoint. Sign in again.',
      );
    }
    // The front channel's tenant was checked before the code was spent (refuseBeforeRedeeming).
    if (!this.#ofThisTenant(claims)) {
      throw new SignInFailed(
        'This account belongs to another tenant',
        'The identity server signed in a user of another tenant than the one this app works with.',
        403,
      );
    }
    // UserInfo is optional (the id_token names the user), but a UserInfo answer for another user is an attack or a
    // mix-up: its values "MUST NOT be used" (OpenID Connect Core 5.3.2), and the sign-in is refused.
    const info = await client
      .fetchUserInfo(configuration, response.access_token, claims.sub)
      .catch((error: unknown) => {
        if (isSubjectMismatch(error)) {
          throw new SignInFailed(
            'The sign-in response could not be verified',
            'UserInfo answered for another user than the one who signed in. Sign in again.',
          );
        }
        return null;
      });
    const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
    return {
      subject: claims.sub,
      name: text(info?.name) ?? text(claims.name) ?? text(info?.email) ?? claims.sub,
      email: text(info?.email) ?? text(claims.email),
      tenantId: text(claims.tid) ?? this.settings.tenantId,
      claims: { ...claims },
      frontChannelClaims: { ...frontChannelClaims },
      userinfo: info ? { ...info } : null,
    };
  }

  async #discover(): Promise<client.Configuration> {
    const { issuer, expectedIssuer, clientId, clientSecret, httpTimeoutSeconds } = this.settings;
    // With an expected issuer apart from the authority, discovery reads the authority's own document and the
    // issuer check below takes the expected one; openid-client then checks every token's `iss` against it.
    const server = expectedIssuer
      ? new URL(`${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration`)
      : issuer;
    const configuration = await client
      .discovery(server, clientId, undefined, client.ClientSecretBasic(clientSecret), {
        timeout: httpTimeoutSeconds,
        // The hybrid flow: the authorization response carries a code and an id_token (validated with c_hash).
        // Plain http is only allowed for a local issuer, such as the bundled mock identity server.
        execute: [
          client.useCodeIdTokenResponseType,
          ...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []),
        ],
      })
      .catch((error: unknown) => {
        const announced = announcedIssuer(error);
        throw announced ? new IssuerMismatch(issuer.href, announced) : error;
      });
    if (this.fetch) configuration[client.customFetch] = this.fetch;
    const announced = configuration.serverMetadata().issuer;
    if (expectedIssuer && announced !== expectedIssuer) throw new IssuerMismatch(expectedIssuer, announced);
    return configuration;
  }
}

/** How far the identity server's clock may be ahead of this app's. */
const clockSkewSeconds = 60;

/**
 * What openid-client leaves to the app, checked before the code is spent: the front-channel id_token must not be
 * issued in the future, and must name this app's tenant (acr_values=tenant:…). Read before its signature is
 * checked, which is safe only because it can refuse and never accept: openid-client verifies everything else next.
 */
function refuseBeforeRedeeming(idToken: string | null, tenantId: string): void {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(idToken ?? '');
  } catch {
    return; // openid-client refuses what is not a JWT, with its own reason
  }
  if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + clockSkewSeconds) {
    throw new SignInFailed(
      'The sign-in response could not be verified',
      'Its id_token says it was issued in the future. Sign in again; if it happens again, check the clocks.',
    );
  }
  if (claims.tid !== undefined && claims.tid !== tenantId) {
    throw new SignInFailed(
      'This account belongs to another tenant',
      'The identity server signed in a user of another tenant than the one this app works with.',
      403,
    );
  }
}

/**
 * A failed code redemption as the user should hear of it: an unreachable server, or a callback that oauth4webapi
 * cannot even decode (its TypeErrors with ERR_INVALID_ARG_* codes: bad input brought by the browser).
 */
function redemptionFailure(error: unknown): unknown {
  if (isUnreachable(error)) return new IdentityServerUnavailable(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_INVALID_ARG')) {
    return new SignInFailed(
      'The sign-in response could not be verified',
      'Part of it is not well formed (an id_token or code altered on the way). Sign in again.',
    );
  }
  return error;
}

/** The issuer a discovery document announced, when openid-client refused it for not being the one asked for. */
function announcedIssuer(error: unknown): string | null {
  const { code, cause } = (error ?? {}) as {
    code?: unknown;
    cause?: { attribute?: unknown; body?: unknown };
  };
  if (code !== 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || cause?.attribute !== 'issuer') return null;
  const issuer = (cause.body as { issuer?: unknown } | undefined)?.issuer;
  return typeof issuer === 'string' ? issuer : null;
}

/** openid-client refused a UserInfo response whose sub is not the id_token's (oauth4webapi's error as the cause). */
function isSubjectMismatch(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { cause?: { attribute?: unknown } } };
  return code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && cause?.cause?.attribute === 'sub';
}

/** oauth4webapi's code (not re-exported by openid-client) for "no key in the JWKS matches the token's kid". */
const keySelectionFailed = 'OAUTH_KEY_SELECTION_FAILED';

function isUnknownSigningKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === keySelectionFailed;
}
