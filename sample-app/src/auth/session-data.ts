/**
 * What the session holds once a user is signed in. Tokens stay on the server, in the session store; the browser
 * only ever holds the session id cookie.
 */
import type { Session, SessionData } from 'express-session';

export interface TokenSet {
  accessToken: string;
  /** Absent when the client is not allowed refresh tokens, or offline_access was not asked for. */
  refreshToken: string | undefined;
  /** Kept for sign-out: the identity server wants it as id_token_hint. */
  idToken: string;
  /** Epoch milliseconds, by the app's clock. */
  expiresAt: number;
  scope: string;
  refreshedAt: number | null;
}

export interface SignedInUser {
  subject: string;
  name: string;
  email: string | null;
  tenantId: string;
  /** The claims of the id_token from the token endpoint, for the profile page. */
  claims: Record<string, unknown>;
  /** The claims of the id_token that came with the code, through the browser (checked against the code by c_hash). */
  frontChannelClaims: Record<string, unknown>;
  /** What the UserInfo endpoint said, or null when it could not be reached. */
  userinfo: Record<string, unknown> | null;
}

declare module 'express-session' {
  interface SessionData {
    user: SignedInUser;
    tokens: TokenSet;
    /** Synchronizer token against cross-site form posts (sign out, refresh now). */
    csrfToken: string;
    /** A one-time message for the next page ("Access token refreshed"). */
    notice: string;
  }
}

/** A request's session, signed in or not yet. */
export type UserSession = Session & Partial<SessionData>;
