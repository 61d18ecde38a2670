/** The authorization endpoint (GET and POST, OpenID Connect Core 3.1.2.1). */
import { type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { validateAuthorizationRequest } from '../../protocol/authorization-request.ts';
import { errorResponse, successfulResponse } from '../../protocol/authorization-response.ts';
import { consentNeeded } from '../../protocol/consent.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { reusableSession, type SignedIn } from '../../protocol/sign-in.ts';
import { readCookie, sessionCookieName } from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { continueAt } from '../interaction.ts';
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
    // Nothing is kept for a caller who has not signed in: the request travels to the login page in a ticket.
    if (!signedIn) return continueAt(ctx, req, res, endpointPaths.login, request);
    if (consentNeeded(ctx, request, signedIn.session)) {
      if (request.prompts.includes('none')) {
        const required = new OAuthError('consent_required', 'the user has not consented to this client');
        return deliverAuthorizationResponse(res, errorResponse(ctx, request, required));
      }
      return continueAt(ctx, req, res, endpointPaths.consent, request);
    }
    return deliverSignIn(
      ctx,
      res,
      { clientId: client.id, userId: signedIn.user.id },
      await successfulResponse(ctx, request, client, signedIn),
    );
  }

  router.get(endpointPaths.authorize, authorize);
  router.post(endpointPaths.authorize, formBody, authorize);
  router.use(endpointPaths.authorize, pageErrors);
  return router;
}
