/**
 * "How this sign-in worked" (SHOW_SIGN_IN_FLOW): the page of the session's walkthrough, and what the pages that
 * show steps need to draw them (the signed-out page shows the sign-out's).
 */
import { Router } from 'express';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { type Step, stepTexts } from '../walkthrough/steps.ts';
import { claimText, readableTime } from './readable-time.ts';

export function walkthroughHelpers(now: number) {
  return {
    textsOf: (step: Step) => stepTexts[step.kind],
    claimText: (name: string, value: unknown) => claimText(name, value, now),
    when: (epochMs: number) => readableTime(epochMs, now),
  };
}

export function walkthroughPage(config: AppConfig, clock: Clock): Router {
  const router = Router();
  if (!config.showSignInFlow) return router;
  // Not behind sign-in: a visitor who has not signed in is asked to.
  router.get('/how-it-worked', (req, res) => {
    res.render('how-it-worked', {
      walkthrough: req.session.walkthrough ?? null,
      ...walkthroughHelpers(clock.now()),
    });
  });
  return router;
}
