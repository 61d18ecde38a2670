/**
 * The consent page (IdentityServer's ConsentPageResult): the client's name, its ClientUri and LogoUri (which the
 * HybridClients reference says are "used on consent screen"), and the scopes it asks for. Allow completes the
 * sign-in; Deny answers access_denied, as IdentityServer does for a refused consent.
 */
import { Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { errorResponse, successfulResponse } from '../../protocol/authorization-response.ts';
import { rememberConsent } from '../../protocol/consent.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { currentSession } from '../../protocol/sign-in.ts';
import { readCookie, sessionCookieName } from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { expiredSignIn, pendingSignIn } from '../interaction.ts';
import { deliverAuthorizationResponse, noStore, pageErrors } from '../responses.ts';
import { deliverSignIn } from './sign-in-delivery.ts';

/** What each scope lets the application do, in the user's words. */
const scopeMeanings: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
  ocsapi: 'Use the Data Hub API as you',
  offline_access: 'Stay signed in while you are away (refresh tokens)',
};

/** The consent page may show the client's logo, wherever it is: images from https only. */
const consentPagePolicy = (nonce: string) =>
  `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export function consentRouter(ctx: IdpContext): Router {
  const router = Router();

  /** The sign-in waiting for consent, and the user it is for: the one signed in now. */
  async function awaitingConsent(req: Parameters<typeof pendingSignIn>[1], ticket: unknown) {
    const pending = await pendingSignIn(ctx, req, ticket);
    const signedIn = currentSession(ctx, readCookie(req, sessionCookieName));
    if (!signedIn || signedIn.user.tenantId !== pending.client.tenantId) throw expiredSignIn;
    return { ...pending, signedIn };
  }

  router.get(endpointPaths.consent, async (req, res) => {
    const { client, opened, ticket, signedIn } = await awaitingConsent(req, req.query.ticket);
    noStore(res);
    res.set('Content-Security-Policy', consentPagePolicy(res.locals.cspNonce as string));
    res.render('consent', {
      action: ctx.authority + endpointPaths.consent,
      ticket,
      clientName: client.name || client.id,
      clientUri: client.clientUri,
      logoUri: client.logoUri,
      signedInAs: signedIn.user.email,
      returnsTo: new URL(opened.request.redirectUri).host,
      scopes: opened.request.scopes.map((scope) => ({ scope, meaning: scopeMeanings[scope] ?? scope })),
    });
  });

  router.post(endpointPaths.consent, formBody, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { client, opened, signedIn } = await awaitingConsent(req, body.ticket);
    if (!ctx.signInTickets.complete(opened.id)) throw expiredSignIn;
    if (body.action !== 'allow') {
      const denied = new OAuthError('access_denied', 'the user did not consent');
      return deliverAuthorizationResponse(res, errorResponse(ctx, opened.request, denied));
    }
    rememberConsent(ctx, signedIn.session, client.id);
    await deliverSignIn(
      ctx,
      res,
      { clientId: client.id, userId: signedIn.user.id },
      await successfulResponse(ctx, opened.request, client, signedIn),
    );
  });

  router.use(endpointPaths.consent, pageErrors);
  return router;
}
