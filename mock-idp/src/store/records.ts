/** The shapes of what the identity server remembers between requests (and restarts). Times are epoch ms. */
import type { Client, Tenant, User } from '../domain/model.ts';

/** A validated authorization request, kept while the user signs in. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseMode: 'form_post' | 'fragment';
  scopes: string[];
  nonce: string;
  state: string | null;
  codeChallenge: string | null;
  prompt: 'none' | 'login' | null;
  maxAgeSeconds: number | null;
  loginHint: string | null;
}

/** The single-sign-on session behind the identity server's session cookie. */
export interface SsoSession {
  id: string;
  userId: string;
  tenantId: string;
  authTime: number;
  expiresAt: number;
}

/** A sign-in in progress: the request waits here while the login page is shown. */
export interface Interaction {
  id: string;
  /** Random value also held in a cookie, so the login form only completes in the browser that started it. */
  browserBinding: string;
  request: AuthorizationRequest;
  expiresAt: number;
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string;
  codeChallenge: string | null;
  userId: string;
  sessionId: string;
  authTime: number;
  expiresAt: number;
  /** Set at first redemption; a second redemption revokes this grant. */
  redeemedGrantId: string | null;
}

/** What one redemption (or client-credentials request) granted: the family of tokens issued from it. */
export interface Grant {
  id: string;
  clientId: string;
  tenantId: string;
  userId: string | null;
  scopes: string[];
  sessionId: string | null;
  authTime: number | null;
  createdAt: number;
  /** The absolute end of the refresh-token family, or null when no refresh token was issued. */
  refreshExpiresAt: number | null;
  revoked: boolean;
  accessTokens: { jti: string; expiresAt: number }[];
}

export interface RefreshToken {
  tokenHash: string;
  grantId: string;
  clientId: string;
  expiresAt: number;
  /** Refresh tokens are one-time use: a consumed token presented again revokes its whole family. */
  consumed: boolean;
}

export interface RevokedAccessToken {
  jti: string;
  expiresAt: number;
}

export interface StateSnapshot {
  version: 1;
  /** Which journal continues this snapshot (state-journal.ts); a journal of another generation is stale. */
  journalGeneration?: number;
  tenants: Tenant[];
  users: User[];
  clients: Client[];
  sessions: SsoSession[];
  interactions: Interaction[];
  codes: AuthorizationCode[];
  grants: Grant[];
  refreshTokens: RefreshToken[];
  revokedAccessTokens: RevokedAccessToken[];
}
