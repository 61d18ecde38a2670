/**
 * The client_credentials grant (RFC 6749 4.4), for a client-credentials client acting for itself: only the Data
 * Hub API's scope, an access token carrying the client's tenant roles, no user, no id_token, no refresh token.
 */
import type { IdpContext } from '../../context.ts';
import { clientCredentialsScopes } from '../../domain/access-rules.ts';
import type { Client } from '../../domain/model.ts';
import { OAuthError } from '../errors.ts';
import { type Params, singleParameter } from '../parameters.ts';
import { checkScopesAllowed, parseScopes } from '../scopes.ts';
import { issueTokens, type TokenResponse } from './issue-tokens.ts';

export function clientCredentialsGrant(
  ctx: Pick<IdpContext, 'minter'>,
  client: Client,
  params: Params,
): Promise<TokenResponse> {
  if (client.kind !== 'client-credentials') {
    throw new OAuthError('unauthorized_client', 'this client is not allowed the client_credentials grant');
  }
  const requested = parseScopes(singleParameter(params, 'scope'));
  const scopes = requested.length > 0 ? requested : [...clientCredentialsScopes];
  const refused = scopes.filter((scope) => !clientCredentialsScopes.includes(scope));
  // The refusal names what may be asked, never what was: a description reaches the request log.
  if (refused.length > 0)
    throw new OAuthError(
      'invalid_scope',
      `a client-credentials client may ask for ${clientCredentialsScopes.join(' ')} only`,
    );
  checkScopesAllowed(client, scopes);
  return issueTokens(ctx, { client, scopes, signedIn: null, refreshToken: null });
}
