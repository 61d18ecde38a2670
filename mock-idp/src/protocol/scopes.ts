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

const knownScopes = new Map<string, string>(supportedScopes.map((scope) => [scope, scope]));

/**
 * The request's scopes, each once. A known scope is the catalogue's own string, not a piece of the request's text
 * (which V8 may keep whole behind a piece): a grant keeps its scopes for weeks.
 */
export function parseScopes(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))].map(
    (scope) => knownScopes.get(scope) ?? scope,
  );
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
