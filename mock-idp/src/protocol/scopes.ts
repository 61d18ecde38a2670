/** The scopes a Data Hub hybrid client may ask for, and the offline-access rule. */
import type { Client } from '../domain/model.ts';
import { OAuthError } from './errors.ts';

export const offlineAccessScope = 'offline_access';
export const supportedScopes = ['openid', 'profile', 'email', 'ocsapi', offlineAccessScope] as const;

export function parseScopes(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))];
}

/** Unknown scopes, and offline_access for a client without Allow Refresh Token, are refused (invalid_scope). */
export function checkScopesAllowed(client: Client, scopes: readonly string[]): void {
  const unknown = scopes.filter((scope) => !(supportedScopes as readonly string[]).includes(scope));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
  if (scopes.includes(offlineAccessScope) && !(client.kind === 'hybrid' && client.allowOfflineAccess)) {
    throw new OAuthError(
      'invalid_scope',
      'offline_access is not allowed for this client: enable Allow Refresh Token on the client, or do not ask for it',
    );
  }
}
