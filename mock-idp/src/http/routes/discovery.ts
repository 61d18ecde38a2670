/** Discovery and the JWKS, cacheable for a short while so clients pick up new keys soon. */
import { Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { discoveryDocument, endpointPaths } from '../../protocol/discovery.ts';

export function discoveryRouter(ctx: IdpContext): Router {
  const router = Router();
  const document = discoveryDocument(ctx.issuer, ctx.authority);
  router.get(endpointPaths.discovery, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60').json(document);
  });
  router.get(endpointPaths.jwks, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60').json(ctx.keys.jwks);
  });
  return router;
}
