/**
 * Keeps the signed-in user's tokens usable: refreshes the access token shortly before it expires (and when the
 * API says it is no longer valid), with the refresh token the identity server rotates at every use.
 */

import type { Session, SessionData } from 'express-session';
import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import { type IdentityServer, IdentityServerUnavailable, isUnreachable } from './identity-server.ts';
import type { TokenSet } from './session-data.ts';

/** The user has to sign in (again); `reason` is shown to them. */
export class SignInRequired extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

type UserSession = Session & Partial<SessionData>;

export function tokenSetFrom(
  response: client.TokenEndpointResponse,
  now: number,
  previous?: TokenSet,
): TokenSet {
  const idToken = response.id_token ?? previous?.idToken;
  if (!idToken) throw new Error('the token response holds no id_token');
  return {
    accessToken: response.access_token,
    // Refresh tokens are one-time use: the response carries the next one. Keep the old only if none came.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    idToken,
    expiresAt: now + (response.expires_in ?? 3600) * 1000,
    scope: response.scope ?? previous?.scope ?? '',
    refreshedAt: previous ? now : null,
  };
}

export class TokenKeeper {
  /** One refresh at a time per session: a second use of a rotated refresh token would revoke them all. */
  readonly #refreshing = new Map<string, Promise<TokenSet>>();

  constructor(
    private readonly identityServer: IdentityServer,
    private readonly clock: Clock,
    private readonly refreshBeforeExpiryMs: number,
  ) {}

  /** An access token to call the API with, refreshed first when it is about to expire. */
  async accessToken(session: UserSession): Promise<string> {
    const tokens = session.tokens;
    if (!tokens) throw new SignInRequired('Sign in to continue.');
    const remaining = tokens.expiresAt - this.clock.now();
    if (remaining > this.refreshBeforeExpiryMs) return tokens.accessToken;
    if (tokens.refreshToken) return (await this.refresh(session)).accessToken;
    if (remaining > 0) return tokens.accessToken;
    this.#signOutLocally(session);
    throw new SignInRequired(
      'Your access token has expired. This app holds no refresh token (the client does not allow refresh ' +
        'tokens), so you need to sign in again.',
    );
  }

  /** Exchanges the refresh token for new tokens and stores them in the session. */
  async refresh(session: UserSession): Promise<TokenSet> {
    const tokens = session.tokens;
    if (!tokens?.refreshToken) {
      throw new SignInRequired('This app holds no refresh token: sign in again to get a new access token.');
    }
    let pending = this.#refreshing.get(session.id);
    if (!pending) {
      pending = this.#refreshWith(tokens, tokens.refreshToken).finally(() =>
        this.#refreshing.delete(session.id),
      );
      this.#refreshing.set(session.id, pending);
    }
    try {
      session.tokens = await pending;
      return session.tokens;
    } catch (error) {
      if (error instanceof SignInRequired) this.#signOutLocally(session);
      throw error;
    }
  }

  async #refreshWith(tokens: TokenSet, refreshToken: string): Promise<TokenSet> {
    const configuration = await this.identityServer.configuration();
    try {
      const response = await client.refreshTokenGrant(configuration, refreshToken);
      return tokenSetFrom(response, this.clock.now(), tokens);
    } catch (error) {
      if (isUnreachable(error)) throw new IdentityServerUnavailable(error);
      if (error instanceof client.ResponseBodyError && error.error === 'invalid_grant') {
        throw new SignInRequired(
          'Your sign-in has ended: the refresh token expired or was revoked. Sign in again to continue.',
        );
      }
      throw error;
    }
  }

  #signOutLocally(session: UserSession): void {
    delete session.tokens;
    delete session.user;
  }
}
