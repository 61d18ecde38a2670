/**
 * Token revocation (RFC 7009). A client may only revoke its own tokens; anything else, including an unknown or
 * expired token, is answered with success so the endpoint cannot be used to probe for valid tokens.
 */
import type { IdpContext } from '../context.ts';
import type { Client } from '../domain/model.ts';
import { verifyAccessToken } from './access-tokens.ts';
import { revokeGrant } from './grants.ts';
import { requiredParameter } from './parameters.ts';
import { handleHash } from './random.ts';

export async function revokeToken(
  ctx: IdpContext,
  client: Client,
  params: Record<string, unknown>,
): Promise<void> {
  const token = requiredParameter(params, 'token');
  const refreshToken = ctx.store.refreshTokens.get(handleHash(token));
  if (refreshToken) {
    // Revoking a refresh token also revokes the access tokens of its grant (RFC 7009 section 2.1).
    if (refreshToken.clientId === client.id) revokeGrant(ctx, refreshToken.grantId);
    return;
  }
  try {
    const claims = await verifyAccessToken(ctx, token);
    if (claims.client_id === client.id) {
      ctx.store.revokedAccessTokens.put({ jti: claims.jti, expiresAt: (claims.exp ?? 0) * 1000 });
    }
  } catch {
    // Expired, already revoked or not ours: nothing left to revoke.
  }
}
