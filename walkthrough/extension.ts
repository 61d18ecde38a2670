/**
 * "How this sign-in worked" (SHOW_SIGN_IN_FLOW): the kit's teaching pages, added to the sample app through its
 * extension hooks (sample-app/src/extension.ts), so the starter people copy carries none of it. It records what the
 * app and the identity server said to each other, keeps the authorization URL as it was sent, and builds the steps
 * of the user's own sign-in, refreshes and sign-out, redacted.
 */
import { fileURLToPath } from 'node:url';
import { type CookieOptions, type Request, type Response, Router } from 'express';
import type { Clock } from '../sample-app/src/clock.ts';
import { type AppConfig, isLoopback } from '../sample-app/src/config.ts';
import type { AppExtension } from '../sample-app/src/extension.ts';
import { readCookie } from '../sample-app/src/http/cookies.ts';
import { claimText, readableTime } from '../sample-app/src/http/readable-time.ts';
import { SealedCookie } from '../sample-app/src/http/sealed-cookie.ts';
import { exchangesOfThisRequest, recordEachRequest, recordingFetch } from './exchange-recorder.ts';
import { noteRefresh, noteSignIn } from './journal.ts';
import { keyFingerprints } from './redaction.ts';
import { refreshStep, type Step, signedOutStep, signInSteps, signOutSteps, stepTexts } from './steps.ts';

/**
 * Whether the kit shows the walkthrough: SHOW_SIGN_IN_FLOW decides; unset, it is on against a local identity
 * server (the mock) outside production. A teaching page: off in production.
 */
export function walkthroughWanted(env: Record<string, string | undefined>, config: AppConfig): boolean {
  const setting = env.SHOW_SIGN_IN_FLOW?.trim();
  if (setting === 'true' || setting === '1') return true;
  if (setting === 'false' || setting === '0') return false;
  if (setting) throw new Error(`SHOW_SIGN_IN_FLOW: must be true or false`);
  return isLoopback(config.issuer) && env.NODE_ENV !== 'production';
}

/** What the pages that show steps need to draw them. */
export function walkthroughHelpers(now: number) {
  return {
    textsOf: (step: Step) => stepTexts[step.kind],
    claimText: (name: string, value: unknown) => claimText(name, value, now),
    when: (epochMs: number) => readableTime(epochMs, now),
  };
}

const lifetimeSeconds = 10 * 60;
/** The authorization URL as sent, on its way to the callback. */
const requestCookie = 'hck_walkthrough_request';
/** The sign-out's steps, on their way to the signed-out page. */
const signOutCookie = 'hck_signout_steps';

/** Adds a section, as HTML, to the page the app is about to render (its layout shows them). */
function addSection(res: Response, html: string): void {
  res.locals.extensionSections = [...(res.locals.extensionSections ?? []), html];
}

async function opened<T extends object>(
  req: Request,
  name: string,
  sealed: SealedCookie<T>,
): Promise<T | null> {
  const value = readCookie(req, name);
  return value ? sealed.open(value) : null;
}

export function walkthroughExtension(config: AppConfig, clock: Clock): AppExtension {
  keyFingerprints(config.sessionSecret);
  const sealedRequest = new SealedCookie<{ state: string; url: string }>(
    config.sessionSecret,
    'walkthrough request',
  );
  const sealedSteps = new SealedCookie<{ steps: Step[] }>(config.sessionSecret, 'sign-out steps');
  // The callback is a cross-site POST from the identity server: like the sign-in's own cookie, SameSite=None.
  const requestCookieOptions: CookieOptions = {
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    path: config.callbackPath,
  };
  const signedOutCookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: config.signedOutPath,
  };

  const beforeRoutes = Router();
  beforeRoutes.use(recordEachRequest);
  beforeRoutes.get('/profile', (req, res, next) => {
    if (req.session.walkthrough)
      addSection(
        res,
        '<p><a href="/how-it-worked">How this sign-in worked</a>: the steps of your sign-in, step by step.</p>',
      );
    next();
  });
  // The session is gone by the time the sign-out's steps are built: note now whether it had a walkthrough.
  beforeRoutes.post('/logout', (req, res, next) => {
    res.locals.hadWalkthrough = Boolean(req.session.walkthrough);
    next();
  });

  const routes = Router();
  // Not behind sign-in: a visitor who has not signed in is asked to.
  routes.get('/how-it-worked', (req, res) => {
    res.render('how-it-worked', {
      walkthrough: req.session.walkthrough ?? null,
      ...walkthroughHelpers(clock.now()),
    });
  });

  return {
    fetch: recordingFetch,
    views: fileURLToPath(new URL('./views', import.meta.url)),
    beforeRoutes,
    routes,
    async signInStarted({ res, authorizationUrl }) {
      const kept = { state: authorizationUrl.searchParams.get('state') ?? '', url: authorizationUrl.href };
      res.cookie(requestCookie, await sealedRequest.seal(kept, lifetimeSeconds), {
        ...requestCookieOptions,
        maxAge: lifetimeSeconds * 1000,
      });
    },
    async signedIn({ req, res, session, state, callback, codeVerifier }) {
      const kept = await opened(req, requestCookie, sealedRequest);
      res.clearCookie(requestCookie, requestCookieOptions);
      const steps = await signInSteps({
        // Another sign-in started since (another tab) overwrote the cookie: that request was not this one.
        authorizationUrl: kept?.state === state ? new URL(kept.url) : null,
        codeVerifier,
        callback,
        exchanges: exchangesOfThisRequest(),
        clientId: config.clientId,
        at: clock.now(),
      });
      noteSignIn(session, steps);
    },
    async refreshed(session) {
      const step = refreshStep(exchangesOfThisRequest(), clock.now());
      if (step) noteRefresh(session, step);
    },
    async signingOut({ res, endSessionUrl }) {
      if (!res.locals.hadWalkthrough) return;
      const steps = signOutSteps(exchangesOfThisRequest(), endSessionUrl, clock.now());
      res.cookie(signOutCookie, await sealedSteps.seal({ steps }, lifetimeSeconds), {
        ...signedOutCookieOptions,
        maxAge: lifetimeSeconds * 1000,
      });
    },
    async signedOutReturn({ req, res, stateMatched }) {
      const signOut = await opened(req, signOutCookie, sealedSteps);
      if (!signOut) return;
      res.clearCookie(signOutCookie, signedOutCookieOptions);
      const steps = [...signOut.steps, signedOutStep(stateMatched, req.query.state, clock.now())];
      const html = await new Promise<string>((resolve, reject) =>
        req.app.render('_sign-out-steps', { steps, ...walkthroughHelpers(clock.now()) }, (error, rendered) =>
          error ? reject(error) : resolve(rendered),
        ),
      );
      addSection(res, html);
    },
  };
}
