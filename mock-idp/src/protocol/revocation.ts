/**
 * Token revocation (RFC 7009), as IdentityServer does it: a refresh token of the calling client is revoked (its
 * family ends); access tokens are self-contained JWTs, which cannot be revoked, so revoking one changes nothing
 * and it is accepted until it expires. Every request with a token gets 200, so the endpoint cannot be used to
 * probe for valid tokens.
 */
import type { IdpContext } from '../context.ts';
import type { Client } from '../domain/model.ts';
import { OAuthError } from './errors.ts';
import { endGrant } from './grants/refresh-families.ts';
import { requiredParameter, singleParameter } from './parameters.ts';
import { handleHash } from './random.ts';

const tokenTypeHints = ['access_token', 'refresh_token'];

export function revokeToken(
  ctx: Pick<IdpContext, 'store'>,
  client: Client,
  params: Record<string, unknown>,
): void {
  const token = requiredParameter(params, 'token');
  const hint = singleParameter(params, 'token_type_hint');
  // IdentityServer's TokenRevocationRequestValidator refuses a hint it does not know (RFC 7009 would ignore it).
  if (hint !== undefined && !tokenTypeHints.includes(hint)) {
    throw new OAuthError('unsupported_token_type', 'token_type_hint must be access_token or refresh_token');
  }
  const refreshToken = ctx.store.refreshTokens.get(handleHash(token));
  if (refreshToken?.clientId === client.id) endGrant(ctx, refreshToken.grantId);
}
