/**
 * The refresh_token grant (RFC 6749 6), top to bottom: find the refresh token, check it (this client's,
 * unexpired, of a family this very client was given, the client still allowed refresh tokens, the user still
 * there), consume it (deleted: one-time use), issue the next one of its family, and the tokens. A replayed token
 * is simply unknown: refused, and nothing else revoked (IdentityServer's one-time-use refresh tokens).
 */
import type { IdpContext } from '../../context.ts';
import type { HybridClient } from '../../domain/model.ts';
import { OAuthError } from '../errors.ts';
import { type Params, requiredParameter } from '../parameters.ts';
import { handleHash } from '../random.ts';
import { issueTokens, type TokenResponse } from './issue-tokens.ts';
import { issueRefreshToken } from './refresh-families.ts';

const unknownToken = () =>
  new OAuthError('invalid_grant', 'the refresh token is unknown, used, expired or revoked');

export async function refreshTokenGrant(
  ctx: Pick<IdpContext, 'clock' | 'minter' | 'store'>,
  client: HybridClient,
  params: Params,
): Promise<TokenResponse> {
  const token = ctx.store.refreshTokens.get(handleHash(requiredParameter(params, 'refresh_token')));
  if (!token || token.clientId !== client.id || token.expiresAt <= ctx.clock.now()) throw unknownToken();
  const grant = ctx.store.grants.get(token.grantId);
  // The family must be this client's: same tenant, and started after this client was created (not given to an
  // earlier client that had the same id).
  if (!grant || grant.tenantId !== client.tenantId || grant.createdAt < client.createdAt)
    throw unknownToken();
  if (!client.allowOfflineAccess) {
    throw new OAuthError('invalid_grant', 'this client is no longer allowed refresh tokens');
  }
  const user = ctx.store.users.get(grant.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the user of this refresh token no longer exists');
  // A scope parameter is ignored: IdentityServer4 4.x answers a refresh with the family's own scopes, neither
  // narrowed nor widened (TokenResponseGenerator.ProcessRefreshTokenRequestAsync).
  const { scopes } = grant;

  // Consumed before the first await, so a concurrent second use of the same token is refused.
  ctx.store.refreshTokens.delete(token.tokenHash);
  return issueTokens(ctx, {
    client,
    scopes,
    signedIn: { user, sessionId: grant.sessionId, authTime: grant.authTime },
    refreshToken: issueRefreshToken(ctx, grant),
    ...(grant.firstAccessToken && { accessToken: { kept: grant.firstAccessToken, reissued: true } }),
  });
}
