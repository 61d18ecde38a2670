/** The endpoints a client calls server to server: token, revocation and userinfo. Errors are JSON. */
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { bearerChallenge, userInfoAccessToken, verifyAccessToken } from '../../protocol/access-tokens.ts';
import { authenticateClient } from '../../protocol/client-authentication.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { revokeToken } from '../../protocol/revocation.ts';
import { grantOwner, grantTokens } from '../../protocol/token-request.ts';
import { userInfo } from '../../protocol/userinfo.ts';
import { shapeReply } from '../../scenarios/shaping.ts';
import { formBody } from '../form-body.ts';
import { asOAuthError, noStore, sendJsonError, sendReply } from '../responses.ts';

export function backChannelRouter(ctx: IdpContext): Router {
  const router = Router();
  const client = (req: Request, body: Record<string, unknown>) =>
    authenticateClient(ctx, req.headers.authorization, body);

  router.post(endpointPaths.token, formBody, async (req, res) => {
    const body = formBodyOf(req);
    const authenticated = client(req, body);
    // Test scenarios act on a hybrid client's code exchange and refreshes (scenarios/shaping.ts).
    const point = { authorization_code: 'token', refresh_token: 'refresh' } as const;
    const grant = point[body.grant_type as keyof typeof point];
    const tokens = async () => ({ status: 200, body: { ...(await grantTokens(ctx, authenticated, body)) } });
    noStore(res);
    if (!grant || authenticated.kind !== 'hybrid')
      return sendReply(res, { reply: await tokens(), scenario: null });
    const userId = grantOwner(ctx, authenticated, body);
    res.locals.userId = userId;
    sendReply(res, await shapeReply(ctx, grant, { clientId: authenticated.id, userId }, tokens));
  });

  // IdentityServer's TokenEndpoint answers any other method, or a body that is not a form, with invalid_request.
  router.all(endpointPaths.token, () => {
    throw new OAuthError('invalid_request', 'the token endpoint takes a form, by POST');
  });

  // Its TokenRevocationEndpoint answers with a bare status: 405 for another method, 415 for a body not a form.
  router.all(endpointPaths.revocation, (req, res, next) => {
    if (req.method !== 'POST') return void res.status(405).set('Allow', 'POST').end();
    if (!req.is('application/x-www-form-urlencoded')) return void res.status(415).end();
    next();
  });
  router.post(endpointPaths.revocation, formBody, async (req, res) => {
    const body = formBodyOf(req);
    revokeToken(ctx, client(req, body), body);
    res.status(200).end();
  });

  const userinfo = async (req: Request, res: Response) => {
    const form = req.is('application/x-www-form-urlencoded') ? req.body : undefined;
    const claims = await verifyAccessToken(ctx, userInfoAccessToken(req.headers.authorization, form));
    noStore(res);
    const userId = claims.sub ?? null;
    res.locals.userId = userId;
    sendReply(
      res,
      await shapeReply(ctx, 'userinfo', { clientId: claims.client_id, userId }, () => ({
        status: 200,
        body: userInfo(ctx, claims),
      })),
    );
  };
  router.get(endpointPaths.userinfo, userinfo);
  router.post(endpointPaths.userinfo, formBody, userinfo);

  router.use(
    [endpointPaths.token, endpointPaths.revocation],
    (error: unknown, _req: Request, res: Response, _next: NextFunction) =>
      sendJsonError(res, asOAuthError(error), { describe: false }),
  );
  router.use(endpointPaths.userinfo, userInfoErrors);
  return router;
}

function formBodyOf(req: Request): Record<string, unknown> {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  return (req.body ?? {}) as Record<string, unknown>;
}

/** A rejected bearer token answers with a Bearer challenge (RFC 6750 3). */
function userInfoErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const oauthError = asOAuthError(error);
  if (oauthError.code === 'invalid_token' || oauthError.code === 'insufficient_scope') {
    res.set('WWW-Authenticate', bearerChallenge(oauthError));
  }
  sendJsonError(res, oauthError);
}
