/**
 * Discovery, without a Cache-Control header (IdentityServer4's default: its ResponseCacheInterval is unset), and the
 * JWKS, cacheable for a short while so clients pick up new keys soon.
 */
import { Router } from 'express';
import type { IdpContext } from '../../context.ts';
import { discoveryDocument, endpointPaths } from '../../protocol/discovery.ts';
import { shapeReply } from '../../scenarios/shaping.ts';
import { sendReply } from '../responses.ts';

export function discoveryRouter(ctx: IdpContext): Router {
  const router = Router();
  const document = discoveryDocument(ctx.issuer, ctx.authority, {
    issParameter: ctx.authorizationResponseIss,
  });
  router.get(endpointPaths.discovery, async (_req, res) => {
    sendReply(res, await shapeReply(ctx, 'discovery', null, () => ({ status: 200, body: document })));
  });
  router.get(endpointPaths.jwks, async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60');
    // Beside the server's keys, those a test scenario published (a key rotation the app has not seen yet).
    const keys = () => ({
      status: 200,
      body: { keys: [...ctx.keys.jwks.keys, ...ctx.scenarios.publishedKeys()] },
    });
    sendReply(res, await shapeReply(ctx, 'jwks', null, keys));
  });
  return router;
}
