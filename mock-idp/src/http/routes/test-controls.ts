/**
 * The test control surface: read the mock's clock and move it forward, so expiry is tested without sleeping.
 * It is mounted only when explicitly enabled (MOCK_IDP_TEST_CONTROLS=true or the testControls option).
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AdjustableClock } from '../../clock.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { jsonErrors } from '../responses.ts';

const advanceBody = z.object({
  seconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600),
});

export function testControlsRouter(clock: AdjustableClock): Router {
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
  router.use(jsonErrors);
  return router;
}
