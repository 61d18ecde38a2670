/** The UserInfo endpoint (OpenID Connect Core 5.3): the signed-in user's claims, as far as the scopes allow. */
import type { IdpContext } from '../context.ts';
import { roleIdsOf } from '../domain/roles.ts';
import { type AccessTokenClaims, accessTokenScopes } from './access-tokens.ts';
import { OAuthError } from './errors.ts';
import { withRoleIds } from './token-minting.ts';

export function userInfo(ctx: Pick<IdpContext, 'store'>, claims: AccessTokenClaims): Record<string, unknown> {
  const scopes = accessTokenScopes(claims);
  if (!scopes.includes('openid') || !claims.sub) {
    throw new OAuthError('insufficient_scope', 'the access token was not issued with the openid scope', 403);
  }
  const user = ctx.store.users.get(claims.sub);
  if (!user) throw new OAuthError('invalid_token', 'the user of this access token no longer exists', 401);
  return {
    ...user.claims,
    sub: user.id,
    tid: user.tenantId,
    ...withRoleIds(roleIdsOf(user.roles)),
    ...(scopes.includes('profile') && {
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
    }),
    ...(scopes.includes('email') && { email: user.email, email_verified: true }),
  };
}
