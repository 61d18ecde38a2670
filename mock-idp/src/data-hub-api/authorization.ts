/**
 * Who may call the Data Hub API for a tenant: a valid, unexpired access token for the ocsapi resource (else
 * 401), of that tenant (else 403), whose caller holds one of the roles the operation allows (else 403). The
 * HybridClients reference page lists the roles per operation: "Tenant Member" or "Self" to read, "Tenant
 * Administrator" to change. A user's token (hybrid client, ocsapi) is as good a caller as a client's own.
 */
import type { NextFunction, Request, Response } from 'express';
import type { IdpContext } from '../context.ts';
import { dataHubApiAudience } from '../domain/access-rules.ts';
import { roleClaim, type TenantRoleName, tenantRoles } from '../domain/roles.ts';
import {
  type AccessTokenClaims,
  bearerTokenFrom,
  hasAudience,
  verifyAccessToken,
} from '../protocol/access-tokens.ts';
import { OAuthError } from '../protocol/errors.ts';
import { DataHubError } from './errors.ts';

export interface AllowedCallers {
  roles: readonly TenantRoleName[];
  /** "Self": a client acting for itself (no user) may read its own resource, named by :clientId. */
  self?: boolean;
}

export function requireTenantAccess(
  ctx: Pick<IdpContext, 'administration' | 'clock' | 'issuer' | 'keys'>,
  allowed: AllowedCallers,
) {
  return async (
    req: Request<{ tenantId: string; clientId?: string }>,
    res: Response,
    next: NextFunction,
  ): Promise<void> => {
    const claims = await verifyAccessToken(ctx, bearerTokenFrom(req.headers.authorization));
    // A token without the ocsapi scope is not meant for this API at all: to the API it is not a valid token.
    if (!hasAudience(claims, dataHubApiAudience)) {
      throw new OAuthError('invalid_token', 'the access token was not issued for the ocsapi resource', 401);
    }
    const { tenantId, clientId } = req.params;
    // The token's tenant first: a caller learns nothing of other tenants, not even whether one exists (403 alike).
    if (claims.tid.toLowerCase() !== tenantId.toLowerCase()) {
      throw new OAuthError('insufficient_scope', 'the access token belongs to another tenant', 403);
    }
    if (!ctx.administration.hasTenant(tenantId)) {
      throw new DataHubError(404, 'Not found.', `There is no tenant ${tenantId}.`, 'Check the tenant id.');
    }
    const held = roleIdsIn(claims);
    const isSelf =
      allowed.self === true &&
      claims.sub === undefined &&
      clientId !== undefined &&
      claims.client_id.toLowerCase() === clientId.toLowerCase();
    if (!isSelf && !allowed.roles.some((role) => held.includes(tenantRoles[role]))) {
      const needed = [...allowed.roles, ...(allowed.self ? ['Self'] : [])].join(' or ');
      throw new OAuthError('insufficient_scope', `this operation is allowed for ${needed} only`, 403);
    }
    res.locals.claims = claims;
    next();
  };
}

function roleIdsIn(claims: AccessTokenClaims): string[] {
  const value = claims[roleClaim];
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}
