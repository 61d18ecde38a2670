/**
 * The signed-in user's tokens, kept usable: the one place that decides when to refresh. An API call gets an access
 * token refreshed shortly before it expires, and is retried once with a refreshed token if the API refuses the one
 * it got; a session never refreshes twice at once, because the identity server rotates the refresh token at
 * every use and a second use of the old one fails. Within an instance, one promise per session; across
 * instances (sessions in Redis), a lock per session: the instance that does not get it waits, then takes the
 * tokens the other one stored.
 */
import type * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import type { Marks } from '../marks.ts';
import { SignInRequired } from './failures.ts';
import type { IdentityServer } from './identity-server.ts';
import type { TokenSet, UserSession } from './session-data.ts';

/** Refreshes of one session kept to one at a time across the app's instances (redis/refresh-lock.ts). */
export interface SharedRefresh {
  /** Takes the session's lock, which lapses by itself after `ttlMs`; its owner token, or null when held. */
  acquire(sessionId: string, ttlMs: number): Promise<string | null>;
  release(sessionId: string, owner: string): Promise<void>;
}

/** The tokens the session store holds for a session now: what the last request that saved it left there. */
export type StoredTokens = (sessionId: string) => Promise<TokenSet | undefined>;

/** The shared refresh and how long its lock lasts when its holder dies. */
type SharedLock = { refresh: SharedRefresh; lockTtlMs: number };

const waitStepMs = 50;

/**
 * Runs `work` holding the session's refresh lock, waiting while another instance holds it; `whileWaiting` may end
 * the wait with what the holder stored. A holder that died lets its lock lapse after lockTtlMs, so a wait ends.
 */
async function underLock<T>(
  { refresh: shared, lockTtlMs }: SharedLock,
  sessionId: string,
  work: () => Promise<T>,
  whileWaiting?: () => Promise<T | null>,
): Promise<T> {
  for (;;) {
    const owner = await shared.acquire(sessionId, lockTtlMs);
    if (owner) {
      try {
        return await work();
      } finally {
        await shared.release(sessionId, owner);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, waitStepMs));
    const stored = await whileWaiting?.();
    if (stored) return stored;
  }
}

export class TokenKeeper {
  /** The refresh in flight per session. */
  readonly #refreshing = new Map<string, Promise<TokenSet>>();

  constructor(
    private readonly identityServer: IdentityServer,
    private readonly clock: Clock,
    private readonly refreshBeforeExpiryMs: number,
    /** Signed-out sessions: no refresh is kept for them (http/guarded-store.ts). */
    private readonly ended: Marks,
    /** Read from the store itself, not through the guard: it answers for ended sessions too. */
    private readonly storedTokens: StoredTokens,
    private readonly shared: SharedLock | null = null,
    /** Told of every refresh this instance makes, once its tokens are in the session (extension.ts). */
    private readonly refreshed: (session: UserSession) => Promise<void> = async () => {},
  ) {}

  /** Keeps the tokens of a sign-in (or a refresh) in the session; the expiry is counted on this app's clock. */
  keep(session: UserSession, response: client.TokenEndpointResponse): TokenSet {
    const previous = session.tokens;
    const idToken = response.id_token ?? previous?.idToken;
    if (!idToken) throw new Error('the token response holds no id_token');
    const now = this.clock.now();
    session.tokens = {
      accessToken: response.access_token,
      // Refresh tokens are one-time use: the response carries the next one. Keep the old only if none came.
      refreshToken: response.refresh_token ?? previous?.refreshToken,
      idToken,
      expiresAt: now + (response.expires_in ?? 3600) * 1000,
      scope: response.scope ?? previous?.scope ?? '',
      refreshedAt: previous ? now : null,
    };
    return session.tokens;
  }

  /** Seconds until the access token expires (0 when it has). */
  secondsLeft(tokens: TokenSet): number {
    return Math.max(0, Math.round((tokens.expiresAt - this.clock.now()) / 1000));
  }

  /**
   * Calls the API with a fresh access token. If the API refuses it anyway (`isRefused`: revoked, expired early,
   * signed with a key the API no longer trusts), the token is refreshed once and the call made again.
   */
  async callApi<T>(
    session: UserSession,
    call: (accessToken: string) => Promise<T>,
    isRefused: (error: unknown) => boolean,
  ): Promise<T> {
    try {
      return await call(await this.#accessToken(session));
    } catch (error) {
      if (!isRefused(error) || !session.tokens?.refreshToken) throw error;
      return call((await this.refresh(session)).accessToken);
    }
  }

  /** Exchanges the refresh token for new tokens, once per session at a time, and keeps them in the session. */
  async refresh(session: UserSession): Promise<TokenSet> {
    const refreshToken = session.tokens?.refreshToken;
    if (!refreshToken) {
      throw new SignInRequired('This app holds no refresh token: sign in again to get a new access token.');
    }
    let pending = this.#refreshing.get(session.id);
    if (!pending) {
      pending = (
        this.shared
          ? this.#refreshAcrossInstances(session, refreshToken, this.shared)
          : this.#exchangeAndSave(session, refreshToken)
      ).finally(() => this.#refreshing.delete(session.id));
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

  async #exchange(session: UserSession, refreshToken: string): Promise<TokenSet> {
    const subject = session.user?.subject;
    if (!subject || (await this.ended.has(session.id))) throw new SignInRequired('Sign in to continue.');
    const result = await this.identityServer.refresh(refreshToken, subject);
    // Signed out while the refresh was on its way: the token it rotated in belongs to no session, so it goes.
    if (await this.ended.has(session.id)) {
      if (result.refresh_token) await this.identityServer.revoke(result.refresh_token);
      throw new SignInRequired('You signed out.');
    }
    const tokens = this.keep(session, result);
    await this.refreshed(session);
    return tokens;
  }

  /**
   * Saved before the refresh counts as done: a sign-out that finds no refresh in flight then finds the new tokens
   * in the store, even when its own copy of the session was loaded before they came.
   */
  async #exchangeAndSave(session: UserSession, refreshToken: string): Promise<TokenSet> {
    const tokens = await this.#exchange(session, refreshToken);
    await new Promise<void>((resolve, reject) =>
      session.save((error) => (error ? reject(error) : resolve())),
    );
    return tokens;
  }

  /**
   * The lock's holder refreshes (unless the store already holds newer tokens) and saves the session before it lets
   * go; an instance that finds the lock held waits for the tokens the holder stores. A holder that died lets its
   * lock lapse, and the next waiter takes over.
   */
  async #refreshAcrossInstances(
    session: UserSession,
    refreshToken: string,
    shared: SharedLock,
  ): Promise<TokenSet> {
    const newer = async () => {
      const stored = await this.storedTokens(session.id);
      return stored?.refreshToken && stored.refreshToken !== refreshToken ? stored : null;
    };
    return underLock(
      shared,
      session.id,
      async () => (await newer()) ?? this.#exchangeAndSave(session, refreshToken),
      newer,
    );
  }

  /**
   * Ends the session for good and gives the newest tokens it had, whose refresh token the caller revokes. After
   * this no refresh of the session is kept. The request's own copy of the session may be older than the store's:
   * a refresh that finished while this request loaded it saved newer tokens.
   */
  async end(session: UserSession): Promise<TokenSet | undefined> {
    if (!this.shared) {
      // Marked first: a refresh that has not yet looked stops, one on its way revokes what it gets, and one that
      // looked before the mark is in flight, and is waited for.
      await this.ended.add(session.id);
      const inFlight = await this.#refreshing.get(session.id)?.catch(() => undefined);
      return inFlight ?? (await this.storedTokens(session.id)) ?? session.tokens;
    }
    const inFlight = await this.#refreshing.get(session.id)?.catch(() => undefined);
    const shared = this.shared;
    return underLock(shared, session.id, async () => {
      const newest = (await this.storedTokens(session.id)) ?? inFlight ?? session.tokens;
      await this.ended.add(session.id);
      return newest;
    });
  }

  /** An access token to call the API with, refreshed first when it is about to expire. */
  async #accessToken(session: UserSession): Promise<string> {
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
      true,
    );
  }

  #signOutLocally(session: UserSession): void {
    delete session.tokens;
    delete session.user;
  }
}
