/**
 * Validates an authorization request (OpenID Connect Core 3.3.2.1, hybrid flow). The order matters: until the
 * client and its redirect URI are known to be registered, an error can only be shown as a page at the identity
 * server; after that, errors go back to the client's redirect URI.
 */

import type { IdpContext } from '../context.ts';
import { tenantHintProblem } from '../domain/access-rules.ts';
import { isRegisteredUri } from '../domain/hybrid-client-rules.ts';
import type { HybridClient } from '../domain/model.ts';
import type { AuthorizationRequest, HybridResponseType } from '../store/records.ts';
import { clientFor } from './clients.ts';
import { OAuthError } from './errors.ts';
import { lenientParameter, singleParameter } from './parameters.ts';
import { checkScopesAllowed, parseScopes } from './scopes.ts';

export interface ResponseTarget {
  redirectUri: string;
  responseMode: 'form_post' | 'fragment';
  state: string | null;
}

export type AuthorizationRequestOutcome =
  | { kind: 'valid'; client: HybridClient; request: AuthorizationRequest }
  | { kind: 'show-error-page'; error: OAuthError }
  | { kind: 'return-error'; target: ResponseTarget; error: OAuthError };

const maxValueLength = { state: 2000, nonce: 512, login_hint: 256 } as const;
const codeChallengePattern = /^[A-Za-z0-9\-._~]{43,128}$/;

export function validateAuthorizationRequest(
  params: Record<string, unknown>,
  ctx: Pick<IdpContext, 'clock' | 'store'>,
): AuthorizationRequestOutcome {
  let client: HybridClient;
  let redirectUri: string;
  try {
    ({ client, redirectUri } = registeredClientAndRedirect(params, ctx));
  } catch (error) {
    if (error instanceof OAuthError) return { kind: 'show-error-page', error };
    throw error;
  }

  // Without a response type there is no flow, hence no way to answer the client: the error stays here.
  if (!singleParameter(params, 'response_type')) {
    return {
      kind: 'show-error-page',
      error: new OAuthError('unsupported_response_type', 'the response_type parameter is required'),
    };
  }
  const state = lenientParameter(params, 'state') ?? null;
  const target: ResponseTarget = {
    redirectUri,
    // IdentityServer answers by the flow's default mode (fragment) until a requested mode has been accepted.
    responseMode: lenientParameter(params, 'response_mode') === 'form_post' ? 'form_post' : 'fragment',
    state: state !== null && state.length <= maxValueLength.state ? state : null,
  };
  try {
    return { kind: 'valid', client, request: validateAgainstClient(params, client, redirectUri, state) };
  } catch (error) {
    if (error instanceof OAuthError) return { kind: 'return-error', target, error };
    throw error;
  }
}

function registeredClientAndRedirect(
  params: Record<string, unknown>,
  ctx: Pick<IdpContext, 'clock' | 'store'>,
) {
  const clientId = singleParameter(params, 'client_id');
  if (!clientId) throw new OAuthError('invalid_request', 'the client_id parameter is required');
  const client = clientFor(ctx, clientId, 'sign-in');
  if (client?.kind !== 'hybrid' || !client.enabled) {
    throw new OAuthError('unauthorized_client', 'unknown or disabled client');
  }
  const redirectUri = singleParameter(params, 'redirect_uri');
  if (!redirectUri) throw new OAuthError('invalid_request', 'the redirect_uri parameter is required');
  if (!isRegisteredUri(client.redirectUris, redirectUri)) {
    throw new OAuthError(
      'invalid_request',
      `the redirect_uri ${redirectUri} is not registered for this client (it must match an Allowed Redirect URL exactly)`,
    );
  }
  return { client, redirectUri };
}

function validateAgainstClient(
  params: Record<string, unknown>,
  client: HybridClient,
  redirectUri: string,
  state: string | null,
): AuthorizationRequest {
  if (params.request !== undefined)
    throw new OAuthError('request_not_supported', 'request objects are not supported');
  if (params.request_uri !== undefined) {
    throw new OAuthError('request_uri_not_supported', 'request_uri is not supported');
  }
  const responseType = hybridResponseType(singleParameter(params, 'response_type') ?? '', client);
  const responseMode = singleParameter(params, 'response_mode') ?? defaultHybridResponseMode;
  if (responseMode !== 'form_post' && responseMode !== 'fragment') {
    // IdentityServer's answer; query in particular would put the tokens in URLs (logs, Referer, history).
    throw new OAuthError(
      'unsupported_response_type',
      'response_mode must be fragment (the default for the hybrid flow) or form_post',
    );
  }

  checkTenant(params, client);
  const scopes = parseScopes(singleParameter(params, 'scope'));
  if (!scopes.includes('openid')) throw new OAuthError('invalid_scope', 'the openid scope is required');
  checkScopesAllowed(client, scopes);

  const nonce = singleParameter(params, 'nonce');
  if (!nonce) throw new OAuthError('invalid_request', 'the nonce parameter is required for the hybrid flow');
  for (const [name, max] of Object.entries(maxValueLength)) {
    if ((singleParameter(params, name)?.length ?? 0) > max) {
      throw new OAuthError('invalid_request', `the ${name} parameter is longer than ${max} characters`);
    }
  }

  return {
    clientId: client.id,
    redirectUri,
    responseType,
    responseMode,
    scopes,
    nonce,
    state,
    codeChallenge: codeChallenge(params),
    prompt: prompt(params),
    maxAgeSeconds: maxAge(params),
    loginHint: singleParameter(params, 'login_hint') ?? null,
  };
}

/** IdentityServer's default response mode for the hybrid flow. */
export const defaultHybridResponseMode = 'fragment';

/** The response types an authorization server may know (OAuth 2.0 Multiple Response Types), by grant. */
const responseTypeGrants: Record<string, 'authorization_code' | 'implicit' | 'hybrid'> = {
  code: 'authorization_code',
  token: 'implicit',
  id_token: 'implicit',
  'id_token token': 'implicit',
  'code id_token': 'hybrid',
  'code token': 'hybrid',
  'code id_token token': 'hybrid',
};

/**
 * The response type in its usual order, when this client may use it: a hybrid client may use the hybrid ones,
 * and those that put an access token in the browser only with AllowAccessTokensViaBrowser (IdentityServer's
 * checks, in its order: unknown type, grant not allowed for the client, token via browser not allowed).
 */
function hybridResponseType(value: string, client: HybridClient): HybridResponseType {
  const values = value.split(' ').filter(Boolean);
  const normal = Object.keys(responseTypeGrants).find(
    (known) => known.split(' ').sort().join(' ') === [...values].sort().join(' '),
  );
  if (!normal || new Set(values).size !== values.length) {
    throw new OAuthError('unsupported_response_type', 'this response_type is not supported');
  }
  if (responseTypeGrants[normal] !== 'hybrid') {
    throw new OAuthError(
      'unauthorized_client',
      `a hybrid client uses the hybrid flow (response_type=code id_token), not ${normal}`,
    );
  }
  if (normal.split(' ').includes('token') && !client.allowAccessTokensViaBrowser) {
    throw new OAuthError(
      'unauthorized_client',
      'this client is not allowed to receive access tokens via the browser (AllowAccessTokensViaBrowser is off)',
    );
  }
  return normal as HybridResponseType;
}

/**
 * PKCE (RFC 7636) is required, as IdentityServer4 4.x requires it of every client by default (Client.RequirePkce),
 * and only S256 is accepted (AllowPlainTextPkce is off by default; `plain` would let a stolen request reveal the
 * verifier).
 */
function codeChallenge(params: Record<string, unknown>): string {
  const challenge = singleParameter(params, 'code_challenge');
  if (!challenge) throw new OAuthError('invalid_request', 'code challenge required');
  const method = singleParameter(params, 'code_challenge_method');
  if (method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  if (!codeChallengePattern.test(challenge))
    throw new OAuthError('invalid_request', 'malformed code_challenge');
  return challenge;
}

function prompt(params: Record<string, unknown>): AuthorizationRequest['prompt'] {
  const values = (singleParameter(params, 'prompt') ?? '').split(' ').filter(Boolean);
  if (values.includes('none') && values.length > 1) {
    throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other prompt values');
  }
  if (values.includes('none')) return 'none';
  if (values.includes('login')) return 'login';
  return null;
}

function maxAge(params: Record<string, unknown>): number | null {
  const value = singleParameter(params, 'max_age');
  if (value === undefined) return null;
  if (!/^\d{1,9}$/.test(value))
    throw new OAuthError('invalid_request', 'max_age must be a number of seconds');
  return Number(value);
}

function checkTenant(params: Record<string, unknown>, client: HybridClient): void {
  const problem = tenantHintProblem(singleParameter(params, 'acr_values'), client);
  if (problem) throw new OAuthError('invalid_request', problem);
}
