/**
 * The one place a token response is minted: the access token (a JWT whose lifetime is the client's), the id_token
 * when `openid` was granted (with at_hash binding it to that access token, and nonce when the request had one),
 * and the refresh token the grant rotated to, if any.
 */
import type { IdpContext } from '../../context.ts';
import type { Client, User } from '../../domain/model.ts';
import type { AccessTokenClaimSet } from '../token-minting.ts';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export interface Issue {
  client: Client;
  scopes: readonly string[];
  /** The signed-in user and their session; null for a client acting for itself. */
  signedIn: { user: User; sessionId: string; authTime: number; nonce?: string; stateHash?: string } | null;
  refreshToken: string | null;
  /** The access token's claims when the grant made them already (a refresh-token family keeps them). */
  accessTokenClaims?: AccessTokenClaimSet | undefined;
}

export async function issueTokens(ctx: Pick<IdpContext, 'minter'>, issue: Issue): Promise<TokenResponse> {
  const { client, scopes, signedIn, refreshToken, accessTokenClaims } = issue;
  const accessToken = accessTokenClaims
    ? await ctx.minter.signedAccessToken(accessTokenClaims, client)
    : await ctx.minter.accessToken({
        client,
        scopes,
        user: signedIn?.user ?? null,
        sessionId: signedIn?.sessionId ?? null,
        authTime: signedIn?.authTime ?? null,
      });
  const idToken =
    signedIn && scopes.includes('openid')
      ? await ctx.minter.idToken({ client, ...signedIn, accessToken: accessToken.token })
      : null;
  return {
    access_token: accessToken.token,
    token_type: 'Bearer',
    expires_in: accessToken.expiresIn,
    scope: scopes.join(' '),
    ...(idToken && { id_token: idToken }),
    ...(refreshToken && { refresh_token: refreshToken }),
  };
}
