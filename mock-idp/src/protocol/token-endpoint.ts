/**
 * The token endpoint's grants (RFC 6749 section 4 and 6, OpenID Connect Core 3.3.3): authorization_code for
 * hybrid clients, refresh_token when the client allows offline access, client_credentials for service clients.
 * The client has already been authenticated.
 */
import { createHash } from 'node:crypto';
import type { IdpContext } from '../context.ts';
import type { Client, HybridClient } from '../domain/model.ts';
import type { Grant } from '../store/records.ts';
import { OAuthError } from './errors.ts';
import { issueRefreshToken, startGrant } from './grants.ts';
import { type Params, requiredParameter, singleParameter } from './parameters.ts';
import { handleHash } from './random.ts';
import { checkScopesAllowed, offlineAccessScope, parseScopes } from './scopes.ts';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export function grantTokens(ctx: IdpContext, client: Client, params: Params): Promise<TokenResponse> {
  const grantType = requiredParameter(params, 'grant_type');
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(ctx, asHybrid(client, grantType), params);
    case 'refresh_token':
      return refreshTokenGrant(ctx, asHybrid(client, grantType), params);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, client, params);
    default:
      // The value is not repeated back: whatever a client put there (a secret by mistake) stays out of its logs.
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be authorization_code, refresh_token or client_credentials',
      );
  }
}

function asHybrid(client: Client, grantType: string): HybridClient {
  if (client.kind !== 'hybrid') {
    throw new OAuthError('unauthorized_client', `this client is not allowed the ${grantType} grant`);
  }
  return client;
}

async function authorizationCodeGrant(ctx: IdpContext, client: HybridClient, params: Params) {
  const code = requiredParameter(params, 'code');
  const redirectUri = singleParameter(params, 'redirect_uri');
  const verifier = singleParameter(params, 'code_verifier');
  const record = ctx.store.codes.get(handleHash(code));
  if (!record || record.clientId !== client.id)
    throw new OAuthError('invalid_grant', 'unknown authorization code');
  if (record.redeemed) {
    // Single use. IdentityServer refuses the replay and revokes nothing else (RFC 6749 4.1.2 says SHOULD revoke;
    // an application must not count on either).
    throw new OAuthError('invalid_grant', 'the authorization code was already used');
  }
  if (record.expiresAt <= ctx.clock.now())
    throw new OAuthError('invalid_grant', 'the authorization code has expired');
  if (redirectUri !== record.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the one in the authorization request');
  }
  checkPkce(record.codeChallenge, verifier);
  const user = ctx.store.users.get(record.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the user no longer exists');

  // Marked before the first await, so a concurrent replay already sees the code as used.
  ctx.store.codes.put({ ...record, redeemed: true });
  const offline = record.scopes.includes(offlineAccessScope) && client.allowOfflineAccess;
  const refreshToken = offline
    ? issueRefreshToken(
        ctx,
        startGrant(ctx, {
          clientId: client.id,
          tenantId: client.tenantId,
          userId: user.id,
          scopes: record.scopes,
          sessionId: record.sessionId,
          authTime: record.authTime,
        }),
      )
    : null;
  const accessToken = await ctx.minter.accessToken({
    client,
    user,
    scopes: record.scopes,
    sessionId: record.sessionId,
    authTime: record.authTime,
  });
  const idToken = await ctx.minter.idToken({
    client,
    user,
    sessionId: record.sessionId,
    authTime: record.authTime,
    nonce: record.nonce,
    accessToken: accessToken.token,
  });
  return tokenResponse(record.scopes, accessToken, idToken, refreshToken);
}

/** RFC 7636 4.6, and RFC 9700 2.1.1: a verifier without a challenge is refused too (PKCE downgrade). */
function checkPkce(challenge: string | null, verifier: string | undefined): void {
  if (challenge === null) {
    if (verifier !== undefined)
      throw new OAuthError('invalid_grant', 'code_verifier sent, but no code_challenge was');
    return;
  }
  if (!verifier)
    throw new OAuthError('invalid_grant', 'code_verifier is required: the request had a code_challenge');
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (computed !== challenge)
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
}

async function refreshTokenGrant(ctx: IdpContext, client: HybridClient, params: Params) {
  const presented = requiredParameter(params, 'refresh_token');
  const record = ctx.store.refreshTokens.get(handleHash(presented));
  // A used refresh token is deleted, so a replay is an unknown token: refused, and nothing else revoked
  // (IdentityServer's one-time-use refresh tokens; no family revocation).
  if (!record || record.clientId !== client.id || record.expiresAt <= ctx.clock.now()) {
    throw new OAuthError('invalid_grant', 'the refresh token is unknown, used, expired or revoked');
  }
  const grant = ctx.store.grants.get(record.grantId);
  // The grant must be this client's: same tenant, and given after this client was created (not to an earlier
  // client that had the same id).
  if (!grant || grant.tenantId !== client.tenantId || grant.createdAt < client.createdAt) {
    throw new OAuthError('invalid_grant', 'the refresh token is unknown, used, expired or revoked');
  }
  if (!client.allowOfflineAccess) {
    throw new OAuthError('invalid_grant', 'this client is no longer allowed refresh tokens');
  }
  const user = ctx.store.users.get(grant.userId);
  const { sessionId, authTime } = grant;
  if (!user) {
    throw new OAuthError('invalid_grant', 'the user of this refresh token no longer exists');
  }
  const scopes = narrowedScopes(grant, singleParameter(params, 'scope'));

  // Deleted before the first await, so a concurrent second use of the same token is refused.
  ctx.store.refreshTokens.delete(record.tokenHash);
  const refreshToken = issueRefreshToken(ctx, grant);
  const accessToken = await ctx.minter.accessToken({ client, user, scopes, sessionId, authTime });
  const idToken = scopes.includes('openid')
    ? await ctx.minter.idToken({
        client,
        user,
        sessionId,
        authTime,
        accessToken: accessToken.token,
      })
    : undefined;
  return tokenResponse(scopes, accessToken, idToken, refreshToken);
}

/** A refresh may ask for fewer scopes than were granted, never more (RFC 6749 section 6). */
function narrowedScopes(grant: Grant, requested: string | undefined): string[] {
  if (requested === undefined) return grant.scopes;
  const scopes = parseScopes(requested);
  const extra = scopes.filter((scope) => !grant.scopes.includes(scope));
  if (extra.length > 0) throw new OAuthError('invalid_scope', `not granted originally: ${extra.join(' ')}`);
  return scopes;
}

const clientCredentialsScopes = ['ocsapi'];

async function clientCredentialsGrant(ctx: IdpContext, client: Client, params: Params) {
  if (client.kind !== 'client-credentials') {
    throw new OAuthError('unauthorized_client', 'this client is not allowed the client_credentials grant');
  }
  const requested = parseScopes(singleParameter(params, 'scope'));
  const scopes = requested.length > 0 ? requested : clientCredentialsScopes;
  const refused = scopes.filter((scope) => !clientCredentialsScopes.includes(scope));
  if (refused.length > 0)
    throw new OAuthError('invalid_scope', `not allowed for this client: ${refused.join(' ')}`);
  checkScopesAllowed(client, scopes);
  const accessToken = await ctx.minter.accessToken({
    client,
    user: null,
    scopes,
    sessionId: null,
    authTime: null,
  });
  return tokenResponse(scopes, accessToken, undefined, null);
}

function tokenResponse(
  scopes: readonly string[],
  accessToken: { token: string; expiresIn: number },
  idToken: string | undefined,
  refreshToken: string | null,
): TokenResponse {
  return {
    access_token: accessToken.token,
    token_type: 'Bearer',
    expires_in: accessToken.expiresIn,
    scope: scopes.join(' '),
    ...(idToken && { id_token: idToken }),
    ...(refreshToken && { refresh_token: refreshToken }),
  };
}
