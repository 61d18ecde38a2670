/**
 * A sliver of the Data Hub REST API, so applications have a protected resource to call:
 * `GET /api/v1/Tenants/{tenantId}/Namespaces` with a bearer access token for the `ocsapi` resource.
 */
import { randomUUID } from 'node:crypto';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { bearerTokenFrom, hasAudience, verifyAccessToken } from '../../protocol/access-tokens.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { dataHubApiAudience } from '../../protocol/token-minting.ts';
import { asOAuthError } from '../responses.ts';
import { bearerChallenge } from './back-channel.ts';

const namespaceNames = ['production', 'staging', 'development'];

export function dataApiRouter(ctx: IdpContext): Router {
  const router = Router();
  router.get('/Tenants/:tenantId/Namespaces', async (req, res) => {
    const claims = await verifyAccessToken(ctx, bearerTokenFrom(req.headers.authorization));
    // A token without the ocsapi scope is not meant for this API at all: to the API it is not a valid token.
    if (!hasAudience(claims, dataHubApiAudience)) {
      throw new OAuthError('invalid_token', 'the access token was not issued for the ocsapi resource', 401);
    }
    const tenantId = req.params.tenantId;
    if (claims.tid.toLowerCase() !== tenantId.toLowerCase()) {
      throw new OAuthError('insufficient_scope', 'the access token belongs to another tenant', 403);
    }
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/Tenants/${tenantId}/Namespaces`;
    res.json(
      namespaceNames.map((name) => ({
        Id: name,
        Region: 'WestUS',
        Self: `${base}/${name}`,
        Description: `The ${name} namespace of the mock tenant`,
        State: 'Active',
      })),
    );
  });
  router.use(dataApiErrors);
  return router;
}

/** Data Hub style error bodies; bearer challenges as RFC 6750 has them. */
function dataApiErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const oauthError = asOAuthError(error);
  if (oauthError.status === 401 || oauthError.status === 403)
    res.set('WWW-Authenticate', bearerChallenge(oauthError));
  res.status(oauthError.status).json({
    OperationId: randomUUID(),
    Error: oauthError.status === 403 ? 'Forbidden' : 'Unauthorized',
    Reason: oauthError.description,
    Resolution:
      'Call the API with a valid, unexpired access token for this tenant, asked for with the ocsapi scope.',
  });
}
