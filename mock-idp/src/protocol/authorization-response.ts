/**
 * Builds the authorization response of the hybrid flow: a single-use code, and as the response type asks, a
 * front-channel id_token (with `nonce`, `c_hash`, and `at_hash` when an access token comes along) and an access
 * token; plus `state`, and `iss` (RFC 9207, against mix-up attacks) only when set to: IdentityServer4 4.x sends
 * none, so an application must not require it.
 */
import { createHash } from 'node:crypto';
import type { IdpContext } from '../context.ts';
import { authorizationCodeLifetimeSeconds } from '../domain/hybrid-client-rules.ts';
import type { HybridClient } from '../domain/model.ts';
import { pooledRandomBytes } from '../plumbing/random-pool.ts';
import type { AuthorizationRequest } from '../store/records.ts';
import type { OAuthError, OAuthErrorCode } from './errors.ts';
import { handleHash, randomHandle } from './random.ts';
import type { SignedIn } from './sign-in.ts';
import { halfHash } from './token-minting.ts';

export interface ResponseTarget {
  redirectUri: string;
  responseMode: 'form_post' | 'fragment';
  state: string | null;
}

export interface AuthorizationResponse {
  target: ResponseTarget;
  params: Record<string, string>;
}

const targetOf = (request: AuthorizationRequest): ResponseTarget => ({
  redirectUri: request.redirectUri,
  responseMode: request.responseMode,
  state: request.state,
});

export async function successfulResponse(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'authorizationResponseIss' | 'minter' | 'store'>,
  request: AuthorizationRequest,
  client: HybridClient,
  { session, user }: SignedIn,
): Promise<AuthorizationResponse> {
  const code = randomHandle();
  // IdentityServer4 hashes the state into both id_tokens of the sign-in (AuthorizeResponseGenerator).
  const stateHash = request.state ? halfHash(request.state) : null;
  ctx.store.codes.put({
    codeHash: handleHash(code),
    clientId: client.id,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    stateHash,
    userId: user.id,
    sessionId: session.id,
    authTime: session.authTime,
    expiresAt: ctx.clock.now() + authorizationCodeLifetimeSeconds * 1000,
  });
  const wanted = request.responseType.split(' ');
  const signedIn = { client, user, sessionId: session.id, authTime: session.authTime };
  // Only with AllowAccessTokensViaBrowser (checked with the request): `code token`, `code id_token token`.
  const accessToken = wanted.includes('token')
    ? await ctx.minter.accessToken({ ...signedIn, scopes: request.scopes })
    : null;
  const idToken = wanted.includes('id_token')
    ? await ctx.minter.idToken({
        ...signedIn,
        nonce: request.nonce,
        code,
        ...(accessToken && { accessToken: accessToken.token }),
        ...(stateHash && { stateHash }),
      })
    : null;
  return withStateAndIssuer(ctx, targetOf(request), {
    code,
    ...(idToken && { id_token: idToken }),
    ...(accessToken && {
      access_token: accessToken.token,
      token_type: 'Bearer',
      expires_in: String(accessToken.expiresIn),
    }),
    scope: request.scopes.join(' '),
    session_state: sessionState(client.id, request.redirectUri, session.id),
  });
}

/**
 * OpenID Connect Session Management's session_state, as IdentityServer4 computes it (AuthorizeResponseGenerator):
 * a hash of the client, the redirect URI's origin, the browser's session and a salt, then the salt. The mock has no
 * check-session iframe to compare it with (rule discovery-contents); the value is here so that an application
 * meets the parameter it will meet at Data Hub. The session's id is hashed first: it is the session's credential.
 */
function sessionState(clientId: string, redirectUri: string, sessionId: string): string {
  const salt = pooledRandomBytes(16).toString('hex');
  const hash = createHash('sha256')
    .update(clientId + new URL(redirectUri).origin + handleHash(sessionId) + salt)
    .digest('base64url');
  return `${hash}.${salt}`;
}

/**
 * The errors IdentityServer sends back to the client (AuthorizeResult.ProcessErrorAsync): those of the interaction
 * with the user. Any other is thrown on, to be shown on the identity server's error page.
 */
const interactionErrors: ReadonlySet<OAuthErrorCode> = new Set([
  'access_denied',
  'account_selection_required',
  'login_required',
  'consent_required',
  'interaction_required',
]);

export function errorResponse(
  ctx: Pick<IdpContext, 'issuer' | 'authorizationResponseIss'>,
  request: AuthorizationRequest,
  error: OAuthError,
): AuthorizationResponse {
  if (!interactionErrors.has(error.code)) throw error;
  return withStateAndIssuer(ctx, targetOf(request), {
    error: error.code,
    error_description: error.description,
  });
}

function withStateAndIssuer(
  ctx: Pick<IdpContext, 'issuer' | 'authorizationResponseIss'>,
  target: ResponseTarget,
  params: Record<string, string>,
): AuthorizationResponse {
  return {
    target,
    params: {
      ...params,
      ...(target.state !== null && { state: target.state }),
      ...(ctx.authorizationResponseIss && { iss: ctx.issuer }),
    },
  };
}
