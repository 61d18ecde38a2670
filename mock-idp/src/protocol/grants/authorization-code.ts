/**
 * The authorization_code grant (RFC 6749 4.1.3, OpenID Connect Core 3.3.3), top to bottom: find the code (this
 * client's), remove it, check it (unexpired, the same redirect_uri, the PKCE verifier), start a refresh-token
 * family when offline access was granted, and issue the tokens.
 */
import { createHash } from 'node:crypto';
import type { IdpContext } from '../../context.ts';
import { grantsRefreshTokens } from '../../domain/access-rules.ts';
import type { HybridClient } from '../../domain/model.ts';
import { OAuthError } from '../errors.ts';
import { type Params, singleParameter } from '../parameters.ts';
import { handleHash } from '../random.ts';
import { issueTokens, type TokenResponse } from './issue-tokens.ts';
import { issueRefreshToken, startGrant } from './refresh-families.ts';

export async function authorizationCodeGrant(
  ctx: Pick<IdpContext, 'clock' | 'hybridRefreshTokens' | 'minter' | 'refreshTokenLifetimeSeconds' | 'store'>,
  client: HybridClient,
  params: Params,
): Promise<TokenResponse> {
  const handle = singleParameter(params, 'code');
  const code = handle ? ctx.store.codes.get(handleHash(handle)) : undefined;
  if (!code || code.clientId !== client.id)
    throw new OAuthError('invalid_grant', 'unknown authorization code');
  // Single use, as IdentityServer's TokenRequestValidator does it: once its own client presents it, the code is
  // removed before anything else is checked, so a failed attempt (expired, another redirect_uri, a wrong verifier)
  // uses it up too, and a replay finds no code. Nothing else is revoked (RFC 6749 4.1.2 says SHOULD; an
  // application must not count on either). Removed before the first await, so a concurrent replay finds nothing.
  ctx.store.codes.delete(code.codeHash);
  if (code.expiresAt <= ctx.clock.now())
    throw new OAuthError('invalid_grant', 'the authorization code has expired');
  const redirectUri = singleParameter(params, 'redirect_uri');
  // IdentityServer's codes for these two (TokenRequestValidator): a missing one is unauthorized_client.
  if (!redirectUri) throw new OAuthError('unauthorized_client', 'redirect_uri is required with the code');
  if (redirectUri !== code.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the one in the authorization request');
  }
  checkPkce(code.codeChallenge, singleParameter(params, 'code_verifier'));
  const user = ctx.store.users.get(code.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the user no longer exists');

  const signedIn = {
    user,
    sessionId: code.sessionId,
    authTime: code.authTime,
    nonce: code.nonce,
    ...(code.stateHash && { stateHash: code.stateHash }),
  };
  // Made before the family starts, which keeps it: each refresh issues this access token again.
  const firstAccessToken = ctx.minter.newAccessToken({ client, user });
  const refreshToken =
    ctx.hybridRefreshTokens && grantsRefreshTokens(client, code.scopes)
      ? issueRefreshToken(
          ctx,
          startGrant(ctx, {
            clientId: client.id,
            tenantId: client.tenantId,
            userId: user.id,
            scopes: code.scopes,
            sessionId: code.sessionId,
            authTime: code.authTime,
            firstAccessToken,
          }),
        )
      : null;
  return issueTokens(ctx, {
    client,
    scopes: code.scopes,
    signedIn,
    refreshToken,
    accessToken: { kept: firstAccessToken, reissued: false },
  });
}

/**
 * RFC 7636 4.6, as IdentityServer4's TokenRequestValidator checks it: every code has a challenge (PKCE is required at
 * the authorize endpoint), the verifier is required, 43 to 128 characters (RFC 7636 4.1), and must hash to the
 * challenge; each failure is invalid_grant.
 */
function checkPkce(challenge: string, verifier: string | undefined): void {
  if (!verifier)
    throw new OAuthError('invalid_grant', 'code_verifier is required: the request had a code_challenge');
  if (verifier.length < 43 || verifier.length > 128)
    throw new OAuthError('invalid_grant', 'code_verifier is too short or too long (43 to 128 characters)');
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (computed !== challenge)
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
}
