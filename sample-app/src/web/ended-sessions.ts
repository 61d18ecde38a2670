/**
 * Sessions that were signed out stay ended: a request that loaded the session before the sign-out (a refresh in
 * flight) must not write it back, and the old cookie must not work again. The ended ids are remembered for a
 * session's lifetime, in this process or, with sessions in Redis, in Redis for every instance; the session store is
 * wrapped so that it neither reads nor writes an ended session.
 */
import session, { type SessionData, type Store } from 'express-session';

export interface EndedSessions {
  end(sessionId: string): Promise<void>;
  isEnded(sessionId: string): Promise<boolean>;
}

/** At most this many ended ids in memory; the oldest are forgotten first (they are the likeliest to be spent). */
const maxRemembered = 100_000;

export function endedInMemory(lifetimeMs: number, now: () => number = Date.now): EndedSessions {
  const ended = new Map<string, number>();
  return {
    async end(sessionId) {
      ended.delete(sessionId);
      ended.set(sessionId, now() + lifetimeMs);
      for (const [id, until] of ended) {
        if (until > now() && ended.size <= maxRemembered) break;
        ended.delete(id);
      }
    },
    async isEnded(sessionId) {
      return (ended.get(sessionId) ?? 0) > now();
    },
  };
}

/** The Redis commands the markers need (node-redis's client has them). */
export interface MarkerCommands {
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  exists(key: string): Promise<number>;
}

export function endedInRedis(redis: MarkerCommands, prefix: string, lifetimeMs: number): EndedSessions {
  const key = (sessionId: string) => `${prefix}ended:${sessionId}`;
  return {
    async end(sessionId) {
      await redis.set(key(sessionId), '1', { expiration: { type: 'PX', value: lifetimeMs } });
    },
    async isEnded(sessionId) {
      return (await redis.exists(key(sessionId))) > 0;
    },
  };
}

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** A session store that never reads nor writes an ended session, and ends a session it destroys. */
export class GuardedStore extends session.Store {
  constructor(
    private readonly inner: Store,
    private readonly ended: EndedSessions,
  ) {
    super();
  }

  /** Runs `live` unless the session has ended, when `ended` runs instead; a failed check is the callback's error. */
  #unlessEnded(
    sessionId: string,
    onError: (error: unknown) => void,
    live: () => void,
    ended: () => void,
  ): void {
    this.ended.isEnded(sessionId).then((isEnded) => (isEnded ? ended() : live()), onError);
  }

  override get(sessionId: string, callback: (error: unknown, data?: SessionData | null) => void): void {
    this.#unlessEnded(
      sessionId,
      callback,
      () => this.inner.get(sessionId, callback),
      () => callback(null, null),
    );
  }

  override set(sessionId: string, data: SessionData, callback?: Callback): void {
    this.#unlessEnded(
      sessionId,
      (error) => callback?.(error),
      () => this.inner.set(sessionId, data, callback),
      () => callback?.(),
    );
  }

  override touch(sessionId: string, data: SessionData, callback?: Callback): void {
    this.#unlessEnded(
      sessionId,
      (error) => callback?.(error),
      () => (this.inner.touch ? this.inner.touch(sessionId, data, callback) : callback?.()),
      () => callback?.(),
    );
  }

  override destroy(sessionId: string, callback?: Callback): void {
    this.ended.end(sessionId).then(
      () => this.inner.destroy(sessionId, callback),
      (error: unknown) => callback?.(error),
    );
  }
}
