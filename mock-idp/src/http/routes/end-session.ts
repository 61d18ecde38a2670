/**
 * The end-session endpoint (GET and POST): signs the user out, then redirects or shows the signed-out page; or,
 * for a hint that names another user, asks the user signed in first.
 */
import { type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { endSession } from '../../protocol/end-session.ts';
import { clearSignOnCookie, readCookie, sessionCookieName } from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { noStore, pageErrors, requestParams } from '../responses.ts';

export function endSessionRouter(ctx: IdpContext): Router {
  const router = Router();
  async function signOut(req: Request, res: Response): Promise<void> {
    const outcome = await endSession(ctx, requestParams(req), readCookie(req, sessionCookieName));
    noStore(res);
    if (outcome.kind === 'ask-first') {
      return res.render('sign-out-other-user', {
        signedInAs: outcome.signedInAs,
        action: ctx.authority + endpointPaths.endSession,
      });
    }
    clearSignOnCookie(res, ctx.authority);
    if (outcome.redirectTo) return res.redirect(303, outcome.redirectTo);
    res.render('signed-out', {
      clientName: outcome.client ? outcome.client.name || outcome.client.id : null,
    });
  }
  router.get(endpointPaths.endSession, signOut);
  router.post(endpointPaths.endSession, formBody, signOut);
  router.use(endpointPaths.endSession, pageErrors);
  return router;
}
