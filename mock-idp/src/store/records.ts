/** The shapes of what the identity server remembers between requests (and restarts). Times are epoch ms. */
import type { Client, Tenant, User } from '../domain/model.ts';
import { roleClaim } from '../domain/roles.ts';

export type SessionPurpose = 'sign-in' | 'portal';

/** The hybrid flow's response types; the last two put an access token in the browser. */
export type HybridResponseType = 'code id_token' | 'code token' | 'code id_token token';

export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/** A validated authorization request, kept while the user signs in. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: HybridResponseType;
  responseMode: 'form_post' | 'fragment';
  scopes: string[];
  nonce: string;
  state: string | null;
  codeChallenge: string;
  /** The prompt values, when IdentityServer4 knows them all (it ignores a prompt with any other). */
  prompts: Prompt[];
  maxAgeSeconds: number | null;
  loginHint: string | null;
}

/** The single-sign-on session behind the identity server's session cookie, or a portal session. */
export interface SsoSession {
  id: string;
  /** What the session was started for: one never stands in for the other. Absent in older states: sign-in. */
  purpose?: SessionPurpose;
  userId: string;
  tenantId: string;
  authTime: number;
  expiresAt: number;
  /** The clients the user consented to in this session (only asked for when consent is required). */
  consentedClients?: string[];
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string;
  codeChallenge: string;
  /** s_hash of the request's state, for the token endpoint's id_token as for the front channel's; null without state. */
  stateHash: string | null;
  userId: string;
  sessionId: string;
  authTime: number;
  expiresAt: number;
}

/** A refresh-token family: what one sign-in with offline_access granted the client for later. */
export interface Grant {
  id: string;
  clientId: string;
  tenantId: string;
  userId: string;
  scopes: string[];
  sessionId: string;
  authTime: number;
  createdAt: number;
  /** The absolute end of the refresh-token family. */
  refreshExpiresAt: number;
  /**
   * What the family's first access token had that the family does not: each refresh issues that token again
   * (IdentityServer4's UpdateAccessTokenClaimsOnRefresh is off by default). Absent in grants saved before
   * 2026-11: those make a new one at each refresh.
   */
  firstAccessToken?: KeptAccessToken;
}

/** The claims of an access token that do not follow from its refresh-token family. */
export interface KeptAccessToken {
  iss: string;
  jti: string;
  iat: number;
  /** The role claim's ids: roles as they were at sign-in. */
  roleIds: string[];
}

/**
 * A grant as it is kept now. Grants saved by earlier kits held the first access token's whole claim set
 * (`accessToken`); only the part a family cannot supply is kept of it.
 */
export function currentGrant(saved: Grant & { accessToken?: Record<string, unknown> }): Grant {
  const { accessToken: claims, ...grant } = saved;
  if (!claims) return saved;
  const roleIds = claims[roleClaim];
  return {
    ...grant,
    firstAccessToken: {
      iss: String(claims.iss),
      jti: String(claims.jti),
      iat: Number(claims.iat),
      roleIds: Array.isArray(roleIds) ? roleIds.map(String) : [],
    },
  };
}

export interface RefreshToken {
  tokenHash: string;
  grantId: string;
  clientId: string;
  expiresAt: number;
}

/** A client id no longer in use, and the tenant it belonged to. */
export interface RetiredClientId {
  id: string;
  tenantId: string;
}

export const stateVersion = 2;

export interface StateSnapshot {
  version: typeof stateVersion;
  /** Which journal continues this snapshot (state-journal.ts); a journal of another generation is stale. */
  journalGeneration?: number;
  tenants: Tenant[];
  users: User[];
  clients: Client[];
  sessions: SsoSession[];
  grants: Grant[];
  refreshTokens: RefreshToken[];
  /** Absent in states saved before ids were retired. */
  retiredClientIds?: RetiredClientId[];
}

export const emptyState = (): StateSnapshot => ({
  version: stateVersion,
  tenants: [],
  users: [],
  clients: [],
  sessions: [],
  grants: [],
  refreshTokens: [],
  retiredClientIds: [],
});
