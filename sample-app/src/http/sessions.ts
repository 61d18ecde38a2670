/**
 * Sessions: in memory for development, in Redis when REDIS_URL is set (needed with more than one instance).
 * The cookie holds only the session id: HttpOnly, SameSite=Lax, Secure over https.
 */
import type { Request, RequestHandler } from 'express';
import session, { type SessionData, type Store } from 'express-session';
import type { StoredTokens } from '../auth/tokens.ts';
import type { AppConfig } from '../config.ts';

export const sessionCookieName = 'hck.sid';
export const sessionLifetimeMs = 8 * 60 * 60 * 1000;

export function sessions(config: AppConfig, store: Store | undefined): RequestHandler {
  return session({
    name: sessionCookieName,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      // Lax: sent when the user follows a link to the app, not with cross-site POSTs (CSRF defence in depth).
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: sessionLifetimeMs,
      path: '/',
    },
  });
}

export const regenerateSession = (req: Request): Promise<void> =>
  new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));

export const saveSession = (req: Request): Promise<void> =>
  new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));

export const destroySession = (req: Request): Promise<void> =>
  new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));

/** The tokens a session store holds for a session now (the store itself: a GuardedStore's inner one). */
export const storedTokensIn =
  (store: Store): StoredTokens =>
  (sessionId) =>
    new Promise((resolve, reject) =>
      store.get(sessionId, (error, data) =>
        error ? reject(error) : resolve((data as SessionData | null | undefined)?.tokens),
      ),
    );
