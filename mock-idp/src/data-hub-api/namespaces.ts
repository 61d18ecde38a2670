/** `GET /api/v1/Tenants/{tenantId}/Namespaces`: a fixed list, so applications have a protected resource to call. */
import { type Request, Router } from 'express';
import type { IdpContext } from '../context.ts';
import { requireTenantAccess } from './authorization.ts';

const namespaceNames = ['production', 'staging', 'development'];

export function namespacesRouter(ctx: IdpContext): Router {
  const router = Router({ mergeParams: true });
  router.get(
    '/Tenants/:tenantId/Namespaces',
    requireTenantAccess(ctx),
    (req: Request<{ tenantId: string }>, res) => {
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
      res.json(
        namespaceNames.map((name) => ({
          Id: name,
          Region: 'WestUS',
          Self: `${base}/${name}`,
          Description: `The ${name} namespace of the mock tenant`,
          State: 'Active',
        })),
      );
    },
  );
  return router;
}
