/**
 * The identity server's cookies: HttpOnly, scoped to the authority's path, Secure over https; SameSite=Lax, but
 * for the sign-on session's (below).
 */
import type { CookieOptions, Request, Response } from 'express';

export const sessionCookieName = 'mockidp_session';
/**
 * One random value per browser, set once: sign-in tickets are bound to it, so a login form only completes in the
 * browser that started the sign-in, and however many sign-ins a page starts, the browser holds one such cookie.
 */
export const browserCookieName = 'mockidp_browser';

export function cookieOptions(authority: string, maxAgeMs?: number): CookieOptions {
  const url = new URL(authority);
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    path: url.pathname,
    ...(maxAgeMs !== undefined && { maxAge: maxAgeMs }),
  };
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The sign-on session's cookie is SameSite=None, as IdentityServer4 sets its own (ConfigureInternalCookieOptions),
 * so that a sign-in with prompt=none in an app's hidden iframe (silent renew) finds the session where the browser
 * sends third-party cookies. SameSite=None needs Secure, which browsers take over https and on loopback addresses;
 * elsewhere over plain http the cookie stays Lax.
 */
export function signOnCookieOptions(authority: string, maxAgeMs?: number): CookieOptions {
  const url = new URL(authority);
  const canBeSecure = url.protocol === 'https:' || loopbackHosts.has(url.hostname);
  return {
    ...cookieOptions(authority, maxAgeMs),
    ...(canBeSecure && { sameSite: 'none', secure: true }),
  };
}

export function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function clearSignOnCookie(res: Response, authority: string): void {
  const { maxAge: _ignored, ...options } = signOnCookieOptions(authority);
  res.clearCookie(sessionCookieName, options);
}
