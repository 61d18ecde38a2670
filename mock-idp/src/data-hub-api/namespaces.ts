/**
 * `GET /api/v1/Tenants/{tenantId}/Namespaces?region=`: a fixed list in the documented Namespace shape (the Data
 * Hub tenant-namespaces reference page), so applications have a protected resource to call. Allowed for Tenant
 * Member; the optional `region` keeps the namespaces of that region.
 */
import { type Request, Router } from 'express';
import type { IdpContext } from '../context.ts';
import { tenantMember, tenantRoles } from '../domain/roles.ts';
import { requireTenantAccess } from './authorization.ts';

const namespaceNames = ['production', 'staging', 'development'];
const region = { name: 'WestUS', id: 'uswe' };
/** NamespaceProvisioningState: 0 Creating, 1 Active, 2 Deleting, 3 Deleted, 4 Suspended. */
const active = 1;
/** TrusteeType: 1 User, 2 Client, 3 Role. */
const roleTrustee = 3;

export function namespacesRouter(ctx: IdpContext): Router {
  const router = Router({ mergeParams: true });
  router.get(
    '/Tenants/:tenantId/Namespaces',
    requireTenantAccess(ctx, { roles: [tenantMember] }),
    (req: Request<{ tenantId: string }>, res) => {
      const { tenantId } = req.params;
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
      const wanted = typeof req.query.region === 'string' ? req.query.region.toLowerCase() : '';
      const inRegion = !wanted || wanted === region.name.toLowerCase() || wanted === region.id;
      const trustee = (role: keyof typeof tenantRoles) => ({
        Type: roleTrustee,
        ObjectId: tenantRoles[role],
        TenantId: tenantId,
      });
      res.json(
        (inRegion ? namespaceNames : []).map((name, index) => ({
          Id: name,
          Region: region.name,
          Self: `${base}/${name}`,
          Description: `The ${name} namespace of the mock tenant`,
          State: active,
          Owner: trustee('Tenant Administrator'),
          AccessControl: {
            RoleTrusteeAccessControlEntries: [
              // The documented shape; the values are illustrative (the mock enforces no access control list).
              { Trustee: trustee('Tenant Administrator'), AccessType: 0, AccessRights: 15 },
              { Trustee: trustee('Tenant Member'), AccessType: 0, AccessRights: 1 },
            ],
          },
          RegionId: region.id,
          InstanceId: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
        })),
      );
    },
  );
  return router;
}
