/** The mock's root: where a person lands who types its address, with links to what is here, not a 404. */
import { Router } from 'express';
import type { IdpContext } from '../../context.ts';
import type { PortalEdition } from '../../domain/editions.ts';
import { endpointPaths } from '../../protocol/discovery.ts';

export function homeRouter(
  ctx: IdpContext,
  paths: { api: string; portal: string },
  edition: PortalEdition,
): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home', {
      discoveryUrl: `${ctx.authority}${endpointPaths.discovery}`,
      portalUrl: paths.portal,
      apiUrl: paths.api,
      issuer: ctx.issuer,
      wayToClients: edition.wayToClients,
    });
  });
  return router;
}
