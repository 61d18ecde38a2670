/**
 * The login page: email and password for the seeded users. The sign-in it completes arrives in a sealed ticket
 * (protocol/sign-in-tickets.ts), bound to the browser that started it; nothing is stored until the password is
 * right.
 */
import { type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { errorResponse, successfulResponse } from '../../protocol/authorization-response.ts';
import { consentNeeded } from '../../protocol/consent.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import {
  ofClientTenant,
  type PasswordSignInResult,
  signInWithPassword,
  ssoSessionLifetimeMs,
} from '../../protocol/sign-in.ts';
import { readCookie, sessionCookieName, signOnCookieOptions } from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { continueAt, expiredSignIn, type PendingSignIn, pendingSignIn } from '../interaction.ts';
import { deliverAuthorizationResponse, noStore, pageErrors } from '../responses.ts';
import { tenantName } from '../tenant-name.ts';
import { deliverSignIn } from './sign-in-delivery.ts';

type Refusal = Extract<PasswordSignInResult, { ok: false }>;

export function loginRouter(ctx: IdpContext): Router {
  const router = Router();

  function showForm(
    res: Response,
    { ticket, client, opened }: PendingSignIn,
    email: string,
    refusal?: Refusal,
  ) {
    noStore(res);
    if (refusal?.retryAfterSeconds) res.set('Retry-After', String(refusal.retryAfterSeconds));
    res.status(refusal?.status === 429 ? 429 : 200).render('login', {
      action: ctx.authority + endpointPaths.login,
      ticket,
      clientName: client.name || client.id,
      tenantName: tenantName(ctx, client.tenantId),
      // Where the answer goes: a user can tell the application they meant from one that borrows its name.
      returnsTo: new URL(opened.request.redirectUri).host,
      email,
      message: refusal?.message ?? '',
    });
  }

  router.get(endpointPaths.login, async (req, res) => {
    const pending = await pendingSignIn(ctx, req, req.query.ticket);
    showForm(res, pending, pending.opened.request.loginHint ?? '');
  });

  router.post(endpointPaths.login, formBody, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { opened, client, ticket } = await pendingSignIn(ctx, req, body.ticket);
    const { request } = opened;
    if (body.action === 'cancel') {
      if (!ctx.signInTickets.complete(opened.id)) throw expiredSignIn;
      const denied = new OAuthError('access_denied', 'the user cancelled the sign-in');
      return deliverAuthorizationResponse(res, errorResponse(ctx, request, denied));
    }
    const email = typeof body.email === 'string' ? body.email.slice(0, 256) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const result = await signInWithPassword(
      ctx,
      { email, password },
      { mayUse: ofClientTenant(client), replacing: readCookie(req, sessionCookieName) },
    );
    if (!result.ok) return showForm(res, { ticket, client, opened }, email, result);
    // The same form sent twice: the first one to get here completes the sign-in, the other is told so.
    if (!ctx.signInTickets.complete(opened.id)) throw expiredSignIn;

    res.cookie(
      sessionCookieName,
      result.signedIn.session.id,
      signOnCookieOptions(ctx.authority, ssoSessionLifetimeMs),
    );
    if (consentNeeded(ctx, request, result.signedIn.session)) {
      return continueAt(ctx, req, res, endpointPaths.consent, request);
    }
    await deliverSignIn(
      ctx,
      res,
      { clientId: client.id, userId: result.signedIn.user.id },
      await successfulResponse(ctx, request, client, result.signedIn),
    );
  });

  router.use(endpointPaths.login, pageErrors);
  return router;
}
