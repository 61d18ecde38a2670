/** The sliver of the Data Hub REST API the mock serves, under /api/v1, with Data Hub error bodies. */
import { Router } from 'express';
import type { IdpContext } from '../context.ts';
import { dataHubErrors } from './errors.ts';
import { hybridClientsRouter } from './hybrid-clients.ts';
import { namespacesRouter } from './namespaces.ts';

export function dataHubApiRouter(ctx: IdpContext): Router {
  const router = Router();
  router.use(namespacesRouter(ctx), hybridClientsRouter(ctx));
  router.use(dataHubErrors);
  return router;
}
