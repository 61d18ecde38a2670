/**
 * Sessions that were signed out stay ended: a request that loaded the session before the sign-out (a refresh in
 * flight) must not write it back, and the old cookie must not work again. The ended ids are marks (marks.ts) kept
 * for a session's lifetime; the session store is wrapped so that it neither reads nor writes an ended session.
 */
import session, { type SessionData, type Store } from 'express-session';
import type { Marks } from '../marks.ts';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/** A session store that never reads nor writes an ended session, and ends a session it destroys. */
export class GuardedStore extends session.Store {
  constructor(
    private readonly inner: Store,
    /** Signed-out sessions: marked when a session ends, for the longest a session lives. */
    private readonly ended: Marks,
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
    this.ended.has(sessionId).then((isEnded) => (isEnded ? ended() : live()), onError);
  }

  // Read together with the check, so a request waits one store round trip, not two.
  override get(sessionId: string, callback: (error: unknown, data?: SessionData | null) => void): void {
    const stored = new Promise<SessionData | null | undefined>((resolve, reject) =>
      this.inner.get(sessionId, (error, data) => (error ? reject(error) : resolve(data))),
    );
    Promise.all([this.ended.has(sessionId), stored]).then(
      ([isEnded, data]) => callback(null, isEnded ? null : data),
      callback,
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
    this.ended.add(sessionId).then(
      () => this.inner.destroy(sessionId, callback),
      (error: unknown) => callback?.(error),
    );
  }
}
