/**
 * A grant is what one sign-in gave a client for later: the refresh-token family of a code redeemed with
 * offline_access. Refresh tokens are one-time use and rotate (each use deletes the token and issues the next);
 * the family ends at an absolute lifetime counted from the sign-in (IdentityServer's AbsoluteRefreshTokenLifetime,
 * 30 days by default). Access tokens are self-contained JWTs and are not recorded: like IdentityServer's, they
 * cannot be revoked and live until they expire. The family keeps its first access token's claims, which every
 * refresh signs again (IdentityServer4's UpdateAccessTokenClaimsOnRefresh is off by default).
 */
import type { IdpContext } from '../../context.ts';
import type { Grant, KeptAccessToken } from '../../store/records.ts';
import { handleHash, randomHandle, recordId } from '../random.ts';

/** IdentityServer's default absolute refresh-token lifetime. */
export const defaultRefreshTokenLifetimeSeconds = 30 * 24 * 60 * 60;

export function startGrant(
  ctx: Pick<IdpContext, 'clock' | 'refreshTokenLifetimeSeconds' | 'store'>,
  fields: Pick<Grant, 'clientId' | 'tenantId' | 'userId' | 'scopes' | 'sessionId' | 'authTime'> & {
    firstAccessToken: KeptAccessToken;
  },
): Grant {
  const now = ctx.clock.now();
  // Written out, not spread: V8 lays out an object made by spreading for more properties than it has (measured:
  // 425 bytes against 89), and a grant is kept for weeks.
  return ctx.store.grants.put({
    id: recordId(),
    clientId: fields.clientId,
    tenantId: fields.tenantId,
    userId: fields.userId,
    scopes: fields.scopes,
    sessionId: fields.sessionId,
    authTime: fields.authTime,
    createdAt: now,
    refreshExpiresAt: now + ctx.refreshTokenLifetimeSeconds * 1000,
    firstAccessToken: fields.firstAccessToken,
  });
}

/** Issues the next refresh token of the family. */
export function issueRefreshToken(ctx: Pick<IdpContext, 'store'>, grant: Grant): string {
  const token = randomHandle();
  ctx.store.refreshTokens.put({
    tokenHash: handleHash(token),
    grantId: grant.id,
    clientId: grant.clientId,
    expiresAt: grant.refreshExpiresAt,
  });
  return token;
}

/** Ends a refresh-token family: its refresh token no longer works. Access tokens already issued live on. */
export function endGrant(ctx: Pick<IdpContext, 'store'>, grantId: string): void {
  ctx.store.endGrant(grantId);
}
