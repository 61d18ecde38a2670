/** The identity server's cookies: HttpOnly, SameSite=Lax, scoped to the authority's path, Secure over https. */
import type { CookieOptions, Request, Response } from 'express';

export const sessionCookieName = 'mockidp_session';
/** One cookie per sign-in in progress, so two tabs signing in at once do not disturb each other. */
export const interactionCookieName = (interactionId: string) =>
  `mockidp_interaction_${interactionId.slice(0, 16)}`;

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
