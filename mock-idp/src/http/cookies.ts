/** The identity server's cookies: HttpOnly, SameSite=Lax, scoped to the authority's path, Secure over https. */
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

export function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function clearCookie(res: Response, authority: string, name: string): void {
  const { maxAge: _ignored, ...options } = cookieOptions(authority);
  res.clearCookie(name, options);
}
