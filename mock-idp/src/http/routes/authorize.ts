/** The authorization endpoint (GET and POST, OpenID Connect Core 3.1.2.1). */
import { type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { validateAuthorizationRequest } from '../../protocol/authorization-request.ts';
import { errorResponse, successfulResponse } from '../../protocol/authorization-response.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { randomHandle } from '../../protocol/random.ts';
import { reusableSession, type SignedIn } from '../../protocol/sign-in.ts';
import { browserCookieName, cookieOptions, readCookie, sessionCookieName } from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { deliverAuthorizationResponse, pageErrors, renderErrorPage, requestParams } from '../responses.ts';
import { deliverSignIn } from './sign-in-delivery.ts';

export function authorizeRouter(ctx: IdpContext): Router {
  const router = Router();

  async function authorize(req: Request, res: Response): Promise<void> {
    const outcome = validateAuthorizationRequest(requestParams(req), ctx);
    if (outcome.kind === 'show-error-page') return renderErrorPage(res, outcome.error);
    const { client, request } = outcome;
    let signedIn: SignedIn | null;
    try {
      signedIn = reusableSession(ctx, request, client, readCookie(req, sessionCookieName));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return deliverAuthorizationResponse(res, errorResponse(ctx, request, error));
    }
    if (signedIn)
      return deliverSignIn(
        ctx,
        res,
        { clientId: client.id, userId: signedIn.user.id },
        await successfulResponse(ctx, request, client, signedIn),
      );

    // Nothing is kept for a caller who has not signed in: the request travels to the login page in a ticket.
    let browser = readCookie(req, browserCookieName);
    if (!browser) {
      browser = randomHandle();
      res.cookie(browserCookieName, browser, cookieOptions(ctx.authority));
    }
    const ticket = await ctx.signInTickets.issue(request, browser);
    res.redirect(303, `${ctx.authority}${endpointPaths.login}?${new URLSearchParams({ ticket })}`);
  }

  router.get(endpointPaths.authorize, authorize);
  router.post(endpointPaths.authorize, formBody, authorize);
  router.use(endpointPaths.authorize, pageErrors);
  return router;
}
