/**
 * Signing in to the portal: a Tenant Administrator of the tenant, with email and password. The portal cookie
 * names a session of the identity server; its forms carry a token derived from that session (CSRF), and posts
 * that a browser says come from another site are refused.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { IdpContext } from '../context.ts';
import type { User } from '../domain/model.ts';
import { tenantAdministrator } from '../domain/roles.ts';
import { cookieOptions, readCookie } from '../http/cookies.ts';
import { constantTimeEquals } from '../plumbing/constant-time.ts';
import {
  currentSession,
  endSignOnSession,
  signInWithPassword,
  ssoSessionLifetimeMs,
} from '../protocol/sign-in.ts';

export const portalPath = '/portal';
const cookieName = 'mockidp_portal';

export interface PortalUser {
  user: User;
  csrfToken: string;
}

export class PortalFormRefused extends Error {}

const csrfTokenFor = (sessionId: string) =>
  createHash('sha256').update(`portal-form:${sessionId}`).digest('base64url');

export function portalCookieOptions(ctx: Pick<IdpContext, 'authority'>) {
  return {
    ...cookieOptions(ctx.authority, ssoSessionLifetimeMs),
    path: portalPath,
    sameSite: 'strict' as const,
  };
}

export async function signInToPortal(
  ctx: Pick<IdpContext, 'authority' | 'clock' | 'passwordGuessing' | 'store'>,
  res: Response,
  email: string,
  password: string,
): Promise<{ message: string; status: number; retryAfterSeconds?: number } | null> {
  const result = await signInWithPassword(
    ctx,
    { email, password },
    {
      mayUse: (user) =>
        user.roles.includes(tenantAdministrator)
          ? null
          : 'Only a Tenant Administrator can manage clients. Sign in with an administrator account.',
      purpose: 'portal',
    },
  );
  if (!result.ok) return result;
  res.cookie(cookieName, result.signedIn.session.id, portalCookieOptions(ctx));
  return null;
}

export function signOutOfPortal(
  ctx: Pick<IdpContext, 'authority' | 'store'>,
  req: Request,
  res: Response,
): void {
  const sessionId = readCookie(req, cookieName);
  endSignOnSession(ctx, sessionId);
  const { maxAge: _ignored, ...options } = portalCookieOptions(ctx);
  res.clearCookie(cookieName, options);
}

/** The signed-in administrator, or a redirect to the portal's sign-in page. */
export function requireAdministrator(ctx: Pick<IdpContext, 'clock' | 'store'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const sessionId = readCookie(req, cookieName);
    const signedIn = sessionId ? currentSession(ctx, sessionId, 'portal') : null;
    if (!signedIn?.user.roles.includes(tenantAdministrator)) {
      res.redirect(303, `${portalPath}/login`);
      return;
    }
    res.locals.portal = {
      user: signedIn.user,
      csrfToken: csrfTokenFor(signedIn.session.id),
    } satisfies PortalUser;
    next();
  };
}

/** Refuses a form post from another site, or without the session's form token. */
export function checkFormPost(req: Request, res: Response, next: NextFunction): void {
  // Under Referrer-Policy: no-referrer, browsers send "Origin: null" even for this site's own forms.
  const origin = req.headers.origin;
  const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== originOf(req);
  if (req.headers['sec-fetch-site'] === 'cross-site' || foreignOrigin) {
    next(new PortalFormRefused('This form was sent from another site.'));
    return;
  }
  const expected = (res.locals.portal as PortalUser | undefined)?.csrfToken;
  const presented = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (expected && !constantTimeEquals(expected, presented)) {
    next(new PortalFormRefused('This form has expired. Reload the page and try again.'));
    return;
  }
  next();
}

const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? ''}`;
