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
import { type Params, requiredParameter } from './parameters.ts';

export function grantTokens(
  ctx: Pick<IdpContext, 'clock' | 'minter' | 'refreshTokenLifetimeSeconds' | 'store'>,
  client: Client,
  params: Params,
): Promise<TokenResponse> {
  const grantType = requiredParameter(params, 'grant_type');
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(ctx, asHybrid(client, grantType), params);
    case 'refresh_token':
      return refreshTokenGrant(ctx, asHybrid(client, grantType), params);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, client, params);
    default:
      // The value is not repeated back: whatever a client put there (a secret by mistake) stays out of its logs.
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be authorization_code, refresh_token or client_credentials',
      );
  }
}

function asHybrid(client: Client, grantType: string): HybridClient {
  if (client.kind !== 'hybrid') {
    throw new OAuthError('unauthorized_client', `this client is not allowed the ${grantType} grant`);
  }
  return client;
}
