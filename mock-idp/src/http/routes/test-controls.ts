/**
 * The test control surface: read the mock's clock and move it forward, so expiry is tested without sleeping;
 * rotate the signing key, so relying parties are tested against a key they have not seen; read the process's
 * memory, for benchmarks. It is mounted only when explicitly enabled (MOCK_IDP_TEST_CONTROLS=true or the
 * testControls option).
 */
import express, { Router } from 'express';
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

export function testControlsRouter(clock: AdjustableClock, { keys, store }: IdpContext): Router {
  const router = Router();
  const clockState = () => ({
    now: new Date(clock.now()).toISOString(),
    epochSeconds: Math.floor(clock.now() / 1000),
  });

  router.get('/clock', (_req, res) => {
    res.json(clockState());
  });
  router.post(
    '/clock/advance',
    express.json({ limit: '1kb' }),
    express.urlencoded({ extended: false }),
    (req, res) => {
      const parsed = advanceBody.safeParse(req.body ?? {});
      if (!parsed.success)
        throw new OAuthError('invalid_request', 'seconds must be a whole number, 0 or more');
      clock.advance(parsed.data.seconds);
      res.json(clockState());
    },
  );
  router.post('/keys/rotate', async (_req, res) => {
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
