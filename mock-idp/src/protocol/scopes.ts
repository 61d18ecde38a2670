/** The scopes the identity server knows, and the checks a request's scopes must pass. */
import { dataHubApiAudience, offlineAccessProblem, offlineAccessScope } from '../domain/access-rules.ts';
import type { Client } from '../domain/model.ts';
import { OAuthError } from './errors.ts';

export const supportedScopes = [
  'openid',
  'profile',
  'email',
  dataHubApiAudience,
  offlineAccessScope,
] as const;

export function parseScopes(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))];
}

/** Unknown scopes, and offline_access for a client without Allow Refresh Token, are refused (invalid_scope). */
export function checkScopesAllowed(client: Client, scopes: readonly string[]): void {
  const unknown = scopes.filter((scope) => !(supportedScopes as readonly string[]).includes(scope));
  // The refusal names the scopes there are, never the one asked for: a description reaches the request log.
  if (unknown.length > 0)
    throw new OAuthError(
      'invalid_scope',
      `unknown scope; this identity server knows ${supportedScopes.join(' ')}`,
    );
  const offline = offlineAccessProblem(client, scopes);
  if (offline) throw new OAuthError('invalid_scope', offline);
}
