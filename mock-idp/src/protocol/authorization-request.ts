/**
 * Validates an authorization request (OpenID Connect Core 3.3.2.1, hybrid flow) in IdentityServer4 4.x's order
 * (AuthorizeRequestValidator): client, request object, redirect URI, response type, PKCE, response mode, grant
 * type, access tokens via the browser, scopes, then the optional parameters, and last Data Hub's tenant hint.
 * Every failure here is shown on the identity server's error page: IdentityServer sends only the interaction
 * errors (login_required, access_denied, ...) back to the client (AuthorizeResult.ProcessErrorAsync).
 * Descriptions start with IdentityServer's own words and go on to say what to change.
 */

import type { IdpContext } from '../context.ts';
import { tenantHintProblem } from '../domain/access-rules.ts';
import { isRegisteredUri } from '../domain/hybrid-client-rules.ts';
import type { HybridClient } from '../domain/model.ts';
import type { AuthorizationRequest, HybridResponseType, Prompt } from '../store/records.ts';
import { clientFor } from './clients.ts';
import { OAuthError, type OAuthErrorCode } from './errors.ts';
import { singleParameter } from './parameters.ts';
import { checkScopesAllowed, parseScopes } from './scopes.ts';

export type AuthorizationRequestOutcome =
  | { kind: 'valid'; client: HybridClient; request: AuthorizationRequest }
  | { kind: 'show-error-page'; error: OAuthError };

/**
 * IdentityServer4's InputLengthRestrictions defaults, the lengths past which a parameter is refused; `state` has
 * no limit there, and 2000 is the kit's bound (the request travels to the login page inside a URL).
 */
export const inputLengthLimits = {
  client_id: 100,
  redirect_uri: 400,
  scope: 300,
  nonce: 300,
  ui_locales: 100,
  login_hint: 100,
  acr_values: 300,
  state: 2000,
} as const;

const codeChallengeLength = { min: 43, max: 128 } as const;
const codeChallengePattern = /^[A-Za-z0-9\-._~]+$/;
/** IdentityServer4 4.x's supported prompt values: a prompt with any other value is ignored as a whole. */
const supportedPrompts: ReadonlySet<string> = new Set<Prompt>(['none', 'login', 'consent', 'select_account']);

function refuse(code: OAuthErrorCode, identityServerWords: string, why: string): never {
  throw new OAuthError(code, `${identityServerWords}: ${why}`);
}

export function validateAuthorizationRequest(
  params: Record<string, unknown>,
  ctx: Pick<IdpContext, 'clock' | 'store'>,
): AuthorizationRequestOutcome {
  try {
    const client = enabledClient(params, ctx);
    refuseRequestObjects(params);
    const redirectUri = registeredRedirectUri(params, client);
    return { kind: 'valid', client, request: validateAgainstClient(params, client, redirectUri) };
  } catch (error) {
    if (error instanceof OAuthError) return { kind: 'show-error-page', error };
    throw error;
  }
}

function enabledClient(params: Record<string, unknown>, ctx: Pick<IdpContext, 'clock' | 'store'>) {
  const clientId = singleParameter(params, 'client_id');
  if (!clientId || clientId.length > inputLengthLimits.client_id) {
    refuse('invalid_request', 'Invalid client_id', 'the client_id parameter is missing or too long');
  }
  const client = clientFor(ctx, clientId as string);
  if (client?.kind !== 'hybrid' || !client.enabled) {
    return refuse('unauthorized_client', 'Unknown client or client not enabled', 'check the client id');
  }
  return client;
}

/**
 * A request object would be checked against the client's keys, and a hybrid client registers secrets only, so it
 * fails as IdentityServer's JwtRequestValidator fails it; request_uri is off in IdentityServer by default.
 */
function refuseRequestObjects(params: Record<string, unknown>): void {
  if (params.request_uri !== undefined) {
    refuse('request_uri_not_supported', 'request_uri is not supported', 'send the parameters themselves');
  }
  if (params.request !== undefined) {
    refuse(
      'invalid_request_object',
      'Invalid JWT request',
      'a hybrid client has no key to sign request objects with',
    );
  }
}

function registeredRedirectUri(params: Record<string, unknown>, client: HybridClient): string {
  const redirectUri = singleParameter(params, 'redirect_uri');
  if (!redirectUri)
    return refuse('invalid_request', 'Invalid redirect_uri', 'the redirect_uri parameter is required');
  if (redirectUri.length > inputLengthLimits.redirect_uri || !URL.canParse(redirectUri)) {
    refuse(
      'invalid_request',
      'Invalid redirect_uri',
      'the redirect_uri must be an absolute URL of at most 400 characters',
    );
  }
  if (!isRegisteredUri(client.redirectUris, redirectUri)) {
    // AVEVA's reference page calls this a bad_client error; IdentityServer4 answers invalid_request.
    refuse(
      'invalid_request',
      'Invalid redirect_uri',
      `bad_client: the redirect_uri ${redirectUri} is not registered for this client (it must match an Allowed Redirect URL exactly)`,
    );
  }
  return redirectUri;
}

function validateAgainstClient(
  params: Record<string, unknown>,
  client: HybridClient,
  redirectUri: string,
): AuthorizationRequest {
  const requestedType = knownResponseType(singleParameter(params, 'response_type'));
  // IdentityServer checks PKCE for the code and hybrid flows, before the response mode and the grant type.
  const codeChallenge = responseTypeGrants[requestedType] === 'implicit' ? '' : pkceChallenge(params);
  const responseMode = hybridResponseMode(params, requestedType);
  const responseType = allowedHybridResponseType(requestedType, client);
  const scopes = requestedScopes(params, client);
  const nonce = singleParameter(params, 'nonce');
  if (!nonce || nonce.length > inputLengthLimits.nonce) {
    refuse('invalid_request', 'Invalid nonce', 'the hybrid flow needs a nonce of at most 300 characters');
  }
  const promptValues = prompts(params);
  for (const name of ['ui_locales', 'login_hint', 'acr_values', 'state'] as const) {
    if ((singleParameter(params, name)?.length ?? 0) > inputLengthLimits[name]) {
      refuse(
        'invalid_request',
        `Invalid ${name}`,
        `the ${name} parameter is longer than ${inputLengthLimits[name]} characters`,
      );
    }
  }
  const maxAgeSeconds = maxAge(params);
  checkTenant(params, client);

  return {
    clientId: client.id,
    redirectUri,
    responseType,
    responseMode,
    scopes,
    nonce,
    state: singleParameter(params, 'state') || null,
    codeChallenge,
    prompts: promptValues,
    maxAgeSeconds,
    loginHint: singleParameter(params, 'login_hint') ?? null,
  };
}

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

/** The response type in its usual order; the values may come in any order (RFC 6749 3.1.1). */
function knownResponseType(value: string | undefined): string {
  if (!value)
    return refuse('unsupported_response_type', 'Missing response_type', 'send response_type=code id_token');
  const values = value.split(' ').filter(Boolean);
  const normal = Object.keys(responseTypeGrants).find(
    (known) => known.split(' ').sort().join(' ') === [...values].sort().join(' '),
  );
  if (!normal || new Set(values).size !== values.length) {
    return refuse(
      'unsupported_response_type',
      'Response type not supported',
      'send response_type=code id_token',
    );
  }
  return normal;
}

/**
 * PKCE (RFC 7636) is required, as IdentityServer4 4.x requires it of every client by default (Client.RequirePkce),
 * and only S256 is accepted (AllowPlainTextPkce is off by default; `plain` would let a stolen request reveal the
 * verifier). A missing method means plain.
 */
function pkceChallenge(params: Record<string, unknown>): string {
  const challenge = singleParameter(params, 'code_challenge');
  if (!challenge)
    return refuse('invalid_request', 'code challenge required', 'send a PKCE code_challenge (S256)');
  if (
    challenge.length < codeChallengeLength.min ||
    challenge.length > codeChallengeLength.max ||
    !codeChallengePattern.test(challenge)
  ) {
    refuse('invalid_request', 'Invalid code_challenge', 'a code_challenge has 43 to 128 characters');
  }
  if (singleParameter(params, 'code_challenge_method') !== 'S256') {
    refuse('invalid_request', 'Transform algorithm not supported', 'code_challenge_method must be S256');
  }
  return challenge;
}

/** IdentityServer's default response mode for the hybrid flow. */
export const defaultHybridResponseMode = 'fragment';
const knownResponseModes = new Set(['query', 'fragment', 'form_post']);

function hybridResponseMode(params: Record<string, unknown>, responseType: string) {
  const mode = singleParameter(params, 'response_mode');
  if (mode === undefined) return defaultHybridResponseMode;
  if (!knownResponseModes.has(mode)) {
    return refuse('unsupported_response_type', 'Invalid response_mode', 'use form_post or fragment');
  }
  // Query would put the tokens in URLs (logs, Referer, history): IdentityServer allows it for the code flow only.
  if (mode === 'query' && responseTypeGrants[responseType] !== 'authorization_code') {
    refuse(
      'invalid_request',
      'Invalid response_mode for response_type',
      'the hybrid flow answers by form_post or fragment',
    );
  }
  return mode as 'form_post' | 'fragment';
}

/** A hybrid client may use the hybrid response types, and those with `token` only with AllowAccessTokensViaBrowser. */
function allowedHybridResponseType(responseType: string, client: HybridClient): HybridResponseType {
  if (responseTypeGrants[responseType] !== 'hybrid') {
    refuse(
      'unauthorized_client',
      'Invalid grant type for client',
      `a hybrid client uses the hybrid flow (response_type=code id_token), not ${responseType}`,
    );
  }
  if (responseType.split(' ').includes('token') && !client.allowAccessTokensViaBrowser) {
    refuse(
      'invalid_request',
      'Client not configured to receive access tokens via browser',
      'AllowAccessTokensViaBrowser is off for this client: ask for response_type=code id_token',
    );
  }
  return responseType as HybridResponseType;
}

function requestedScopes(params: Record<string, unknown>, client: HybridClient): string[] {
  const value = singleParameter(params, 'scope');
  if (!value || value.length > inputLengthLimits.scope) {
    refuse(
      'invalid_request',
      'Invalid scope',
      'the scope parameter is missing or longer than 300 characters',
    );
  }
  const scopes = parseScopes(value);
  if (!scopes.includes('openid'))
    refuse('invalid_request', 'Missing openid scope', 'the openid scope is required');
  checkScopesAllowed(client, scopes);
  return scopes;
}

function prompts(params: Record<string, unknown>): Prompt[] {
  const values = [...new Set((singleParameter(params, 'prompt') ?? '').split(' ').filter(Boolean))];
  if (!values.every((value) => supportedPrompts.has(value))) return [];
  if (values.includes('none') && values.length > 1) {
    refuse('invalid_request', 'Invalid prompt', 'prompt=none cannot be combined with other prompt values');
  }
  return values as Prompt[];
}

/** A whole number of seconds, as .NET's int.TryParse reads it (IdentityServer refuses a negative one). */
function maxAge(params: Record<string, unknown>): number | null {
  const value = singleParameter(params, 'max_age');
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2 ** 31 - 1) {
    refuse('invalid_request', 'Invalid max_age', 'max_age must be a whole number of seconds');
  }
  return Number(value);
}

function checkTenant(params: Record<string, unknown>, client: HybridClient): void {
  const problem = tenantHintProblem(singleParameter(params, 'acr_values'), client);
  if (problem) refuse('invalid_request', 'Invalid acr_values', problem);
}
