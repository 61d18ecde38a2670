/**
 * Who may call the Data Hub API for a tenant: a valid, unexpired access token for the ocsapi resource (else
 * 401), of that tenant (else 403), holding the role the operation needs, if any (else 403).
 */
import type { NextFunction, Request, Response } from 'express';
import type { IdpContext } from '../context.ts';
import {
  type AccessTokenClaims,
  bearerTokenFrom,
  hasAudience,
  verifyAccessToken,
} from '../protocol/access-tokens.ts';
import { OAuthError } from '../protocol/errors.ts';
import { dataHubApiAudience } from '../protocol/token-minting.ts';
import { DataHubError } from './errors.ts';

export const tenantAdministrator = 'Tenant Administrator';

export function requireTenantAccess(ctx: IdpContext, role?: string) {
  return async (req: Request<{ tenantId: string }>, res: Response, next: NextFunction): Promise<void> => {
    const claims = await verifyAccessToken(ctx, bearerTokenFrom(req.headers.authorization));
    // A token without the ocsapi scope is not meant for this API at all: to the API it is not a valid token.
    if (!hasAudience(claims, dataHubApiAudience)) {
      throw new OAuthError('invalid_token', 'the access token was not issued for the ocsapi resource', 401);
    }
    const { tenantId } = req.params;
    if (!ctx.store.tenants.get(tenantId)) {
      throw new DataHubError(404, 'Not found.', `There is no tenant ${tenantId}.`, 'Check the tenant id.');
    }
    if (claims.tid.toLowerCase() !== tenantId.toLowerCase()) {
      throw new OAuthError('insufficient_scope', 'the access token belongs to another tenant', 403);
    }
    if (role && !rolesOf(claims).includes(role)) {
      throw new OAuthError('insufficient_scope', `this operation needs the ${role} role`, 403);
    }
    res.locals.claims = claims;
    next();
  };
}

const rolesOf = (claims: AccessTokenClaims): string[] =>
  Array.isArray(claims.role) ? claims.role : typeof claims.role === 'string' ? [claims.role] : [];
