/**
 * Data Hub's rules about who gets what, as the protocol code asks them: each answers with the problem to report,
 * or null when the rule is met. (Limits and defaults of the client model are in hybrid-client-rules.ts.)
 */
import type { Client, HybridClient } from './model.ts';

/** The resource (audience) the Data Hub API accepts, granted with the `ocsapi` scope. */
export const dataHubApiAudience = 'ocsapi';
export const offlineAccessScope = 'offline_access';
/** What a client-credentials client may ask for: the Data Hub API, nothing about users. */
export const clientCredentialsScopes: readonly string[] = [dataHubApiAudience];

/**
 * Data Hub signs users in to a tenant named with `acr_values=tenant:{id}` (AVEVA's samples send it); it must be
 * the client's own tenant. Other acr values are not tenant hints and are left alone.
 */
export function tenantHintProblem(acrValues: string | undefined, client: HybridClient): string | null {
  const tenants = (acrValues ?? '')
    .split(' ')
    .filter((value) => value.startsWith('tenant:'))
    .map((value) => value.slice('tenant:'.length));
  if (tenants.length === 0) return null;
  return tenants.length > 1 || tenants[0]?.toLowerCase() !== client.tenantId.toLowerCase()
    ? `acr_values asks for tenant ${tenants.join(', ')}, but this client belongs to another tenant`
    : null;
}

/** offline_access only for a hybrid client with Allow Refresh Token (IdentityServer refuses it otherwise). */
export function offlineAccessProblem(client: Client, scopes: readonly string[]): string | null {
  return scopes.includes(offlineAccessScope) && !(client.kind === 'hybrid' && client.allowOfflineAccess)
    ? 'offline_access is not allowed for this client: enable Allow Refresh Token on the client, or do not ask for it'
    : null;
}

/** Whether a sign-in with these scopes leaves the client a refresh token. */
export const grantsRefreshTokens = (client: HybridClient, scopes: readonly string[]): boolean =>
  client.allowOfflineAccess && scopes.includes(offlineAccessScope);
