/**
 * A grant is what one code redemption (or client-credentials request) gave a client. Every token issued from
 * it is recorded against it, so that revoking the grant (code replay, refresh-token reuse, revocation) kills
 * the access tokens and refresh tokens of that family at once.
 */
import { randomUUID } from 'node:crypto';
import type { IdpContext } from '../context.ts';
import type { Client, User } from '../domain/model.ts';
import type { Grant } from '../store/records.ts';
import { handleHash, randomHandle } from './random.ts';

/** Refresh tokens are one-time use and rotate; the family as a whole ends 30 days after sign-in. */
export const refreshTokenFamilyLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export function startGrant(
  ctx: IdpContext,
  fields: Pick<Grant, 'clientId' | 'tenantId' | 'userId' | 'scopes' | 'sessionId' | 'authTime'> & {
    offline: boolean;
  },
): Grant {
  const { offline, ...rest } = fields;
  const now = ctx.clock.now();
  return ctx.store.grants.put({
    ...rest,
    id: randomUUID(),
    createdAt: now,
    refreshExpiresAt: offline ? now + refreshTokenFamilyLifetimeMs : null,
    revoked: false,
    accessTokens: [],
  });
}

export async function issueAccessToken(ctx: IdpContext, grant: Grant, client: Client, user: User | null) {
  const minted = await ctx.minter.accessToken({
    client,
    user,
    scopes: grant.scopes,
    sessionId: grant.sessionId,
    authTime: grant.authTime,
  });
  const current = ctx.store.grants.get(grant.id) ?? grant;
  // Only unexpired tokens need revoking with the grant: a family refreshed for months stays small.
  const now = ctx.clock.now();
  ctx.store.grants.put({
    ...current,
    accessTokens: [
      ...current.accessTokens.filter((token) => token.expiresAt > now),
      { jti: minted.jti, expiresAt: minted.expiresAt },
    ],
  });
  if (current.revoked) revokeGrant(ctx, grant.id);
  return minted;
}

/** Issues the next refresh token of the family, or null when the grant has no offline access. */
export function issueRefreshToken(ctx: IdpContext, grant: Grant): string | null {
  if (grant.refreshExpiresAt === null) return null;
  const token = randomHandle();
  ctx.store.refreshTokens.put({
    tokenHash: handleHash(token),
    grantId: grant.id,
    clientId: grant.clientId,
    expiresAt: grant.refreshExpiresAt,
    consumed: false,
  });
  return token;
}

export function revokeGrant(ctx: IdpContext, grantId: string): void {
  const grant = ctx.store.grants.get(grantId);
  if (!grant) return;
  ctx.store.grants.put({ ...grant, revoked: true });
  for (const { jti, expiresAt } of grant.accessTokens) ctx.store.revokedAccessTokens.put({ jti, expiresAt });
  ctx.store.refreshTokens.deleteWhere((token) => token.grantId === grantId);
}
