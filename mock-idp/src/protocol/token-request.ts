/**
 * A token request, once the client is authenticated, goes to its grant (protocol/grants/): authorization_code and
 * refresh_token for hybrid clients, client_credentials for service clients.
 */
import type { IdpContext } from '../context.ts';
import type { Client, HybridClient } from '../domain/model.ts';
import { OAuthError } from './errors.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import type { TokenResponse } from './grants/issue-tokens.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import { type Params, singleParameter } from './parameters.ts';
import { handleHash } from './random.ts';

export function grantTokens(
  ctx: Pick<IdpContext, 'clock' | 'hybridRefreshTokens' | 'minter' | 'refreshTokenLifetimeSeconds' | 'store'>,
  client: Client,
  params: Params,
): Promise<TokenResponse> {
  const grantType = singleParameter(params, 'grant_type');
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(ctx, asHybrid(client, grantType), params);
    case 'refresh_token':
      return refreshTokenGrant(ctx, asHybrid(client, grantType), params);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, client, params);
    default:
      // A missing grant type too, as IdentityServer's TokenRequestValidator answers it. The value is not repeated back: whatever a client put there (a secret by mistake) stays out of its logs.
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be authorization_code, refresh_token or client_credentials',
      );
  }
}

/**
 * Whose sign-in a code exchange or refresh belongs to (the user's id), read without using the code or token up;
 * null when the request names none of this client's. Test scenarios set for one user act on that user's responses.
 */
export function grantOwner(ctx: Pick<IdpContext, 'store'>, client: Client, params: Params): string | null {
  const handle = (name: string) => {
    const value = singleParameter(params, name);
    return value === undefined ? undefined : handleHash(value);
  };
  if (params.grant_type === 'authorization_code') {
    const hash = handle('code');
    const code = hash === undefined ? undefined : ctx.store.codes.get(hash);
    return code?.clientId === client.id ? code.userId : null;
  }
  if (params.grant_type === 'refresh_token') {
    const hash = handle('refresh_token');
    const token = hash === undefined ? undefined : ctx.store.refreshTokens.get(hash);
    if (token?.clientId !== client.id) return null;
    return ctx.store.grants.get(token.grantId)?.userId ?? null;
  }
  return null;
}

function asHybrid(client: Client, grantType: string): HybridClient {
  if (client.kind !== 'hybrid') {
    throw new OAuthError('unauthorized_client', `this client is not allowed the ${grantType} grant`);
  }
  return client;
}
