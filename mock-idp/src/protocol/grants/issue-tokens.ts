/**
 * The one place a token response is minted: the access token (a JWT whose lifetime is the client's), the id_token
 * when `openid` was granted (with at_hash binding it to that access token, and nonce when the request had one),
 * and the refresh token the grant rotated to, if any.
 */
import type { IdpContext } from '../../context.ts';
import type { Client, User } from '../../domain/model.ts';
import type { KeptAccessToken } from '../../store/records.ts';

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
  /**
   * The access token a refresh-token family keeps: new at the code exchange (valid from its iat), or issued again
   * at a refresh (valid from now). Absent: a new one nothing keeps.
   */
  accessToken?: { kept: KeptAccessToken; reissued: boolean } | undefined;
}

export async function issueTokens(ctx: Pick<IdpContext, 'minter'>, issue: Issue): Promise<TokenResponse> {
  const { client, scopes, signedIn, refreshToken } = issue;
  const input = {
    client,
    scopes,
    user: signedIn?.user ?? null,
    sessionId: signedIn?.sessionId ?? null,
    authTime: signedIn?.authTime ?? null,
  };
  const family = issue.accessToken;
  const accessToken = family
    ? await ctx.minter.signedAccessToken(input, family.kept, family.reissued ? undefined : family.kept.iat)
    : await ctx.minter.accessToken(input);
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
