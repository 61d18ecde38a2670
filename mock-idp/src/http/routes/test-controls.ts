/**
 * The test control surface: read the mock's clock and move it forward, so expiry is tested without sleeping;
 * rotate the signing key, so relying parties are tested against a key they have not seen; read the process's
 * memory, for benchmarks. It is mounted only when explicitly enabled (MOCK_IDP_TEST_CONTROLS=true or the
 * testControls option).
 */
import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AdjustableClock } from '../../clock.ts';
import type { IdpContext } from '../../context.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { jsonErrors } from '../responses.ts';

const advanceBody = z.object({
  seconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600),
});

/**
 * Only the mock's own address, and only JSON: a web page can make a browser send a simple form POST anywhere (and,
 * through DNS rebinding, to a name that resolves here), but a JSON POST needs a CORS preflight, which this surface
 * never grants, and a request another page sends carries that page's Origin.
 */
function ownCallersOnly(authority: string): RequestHandler {
  const own = new URL(authority);
  return (req, _res, next) => {
    if (req.headers.host !== own.host) {
      throw new OAuthError('invalid_request', `test controls answer at ${own.host} only`, 403);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== own.origin) {
      throw new OAuthError('invalid_request', 'test controls refuse requests from other origins', 403);
    }
    if (req.method === 'POST' && !req.is('application/json')) {
      throw new OAuthError('invalid_request', 'test controls take application/json bodies only', 415);
    }
    next();
  };
}

export function testControlsRouter(clock: AdjustableClock, { keys, store, authority }: IdpContext): Router {
  const router = Router();
  router.use(ownCallersOnly(authority));
  const clockState = () => ({
    now: new Date(clock.now()).toISOString(),
    epochSeconds: Math.floor(clock.now() / 1000),
  });

  router.get('/clock', (_req, res) => {
    res.json(clockState());
  });
  router.post('/clock/advance', express.json({ limit: '1kb' }), (req, res) => {
    const parsed = advanceBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new OAuthError('invalid_request', 'seconds must be a whole number, 0 or more');
    clock.advance(parsed.data.seconds);
    res.json(clockState());
  });
  router.post('/keys/rotate', express.json({ limit: '1kb' }), async (_req, res) => {
    const previousKid = keys.currentKid;
    res.json({ kid: await keys.rotate(), previousKid, published: keys.jwks.keys.map((key) => key.kid) });
  });
  router.get('/memory', (_req, res) => {
    // With node --expose-gc the figures leave out garbage, which is what a benchmark wants to compare.
    globalThis.gc?.();
    const records = Object.fromEntries(
      (['sessions', 'codes', 'grants', 'refreshTokens'] as const).map((table) => [table, store[table].size]),
    );
    res.json({ ...process.memoryUsage(), collected: typeof globalThis.gc === 'function', records });
  });
  router.use(jsonErrors);
  return router;
}
