/**
 * Sign-out: end the app's session, revoke the refresh token at the identity server (AVEVA's hybrid sample does
 * not, but a refresh token outlives the session otherwise), then send the browser to the end-session endpoint with
 * id_token_hint, post_logout_redirect_uri (a registered Allowed Logout Redirect URL) and state. The identity
 * server signs the user out and sends them back to the signed-out page, which checks the state.
 */
import { randomBytes } from 'node:crypto';
import { type CookieOptions, Router } from 'express';
import { recordExchanges } from '../auth/exchange-recorder.ts';
import { isUnreachable, SignedOutOfAppOnly } from '../auth/failures.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { TokenKeeper } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { type Step, signedOutStep, signOutSteps } from '../walkthrough/steps.ts';
import { constantTimeEquals } from './constant-time.ts';
import { readCookie } from './cookies.ts';
import { protectFormPost } from './csrf.ts';
import { SealedCookie } from './sealed-cookie.ts';
import { destroySession, sessionCookieName } from './sessions.ts';
import { walkthroughHelpers } from './walkthrough-page.ts';

const stateCookie = 'hck_signout_state';
/** The sign-out's steps for "How this sign-in worked", on their way to the signed-out page (SHOW_SIGN_IN_FLOW). */
const stepsCookie = 'hck_signout_steps';
const cookieLifetimeSeconds = 10 * 60;

export function signOutRoutes(
  config: AppConfig,
  identityServer: IdentityServer,
  tokens: TokenKeeper,
  clock: Clock,
): Router {
  const router = Router();
  // The return from the identity server is a top-level GET navigation, so a SameSite=Lax cookie comes along.
  const signedOutCookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: config.signedOutPath,
  };
  const sealedSteps = new SealedCookie<{ steps: Step[] }>(config.sessionSecret, 'sign-out steps');

  router.post('/logout', ...protectFormPost(config.appOrigin), async (req, res) => {
    // The newest tokens, once no refresh of this session is in flight; after this none is kept for it.
    const { idToken, refreshToken } = (await tokens.end(req.session)) ?? {};
    const showSteps = config.showSignInFlow && Boolean(req.session.walkthrough);
    await destroySession(req);
    res.clearCookie(sessionCookieName, { path: '/' });

    const state = randomBytes(16).toString('base64url');
    let endSessionUrl: URL;
    try {
      const revocation = await recordExchanges(async () => {
        if (refreshToken) await identityServer.revoke(refreshToken);
      });
      endSessionUrl = await identityServer.endSessionUrl(idToken, state);
      if (showSteps) {
        const endpoints = await identityServer.endpoints();
        const steps = signOutSteps(revocation.exchanges, endpoints, endSessionUrl, clock.now());
        res.cookie(stepsCookie, await sealedSteps.seal({ steps }, cookieLifetimeSeconds), {
          ...signedOutCookieOptions,
          maxAge: cookieLifetimeSeconds * 1000,
        });
      }
    } catch (error) {
      throw isUnreachable(error) ? new SignedOutOfAppOnly(error) : error;
    }
    res.cookie(stateCookie, state, { ...signedOutCookieOptions, maxAge: cookieLifetimeSeconds * 1000 });
    res.redirect(303, endSessionUrl.href);
  });

  router.get(config.signedOutPath, async (req, res) => {
    const expected = readCookie(req, stateCookie);
    res.clearCookie(stateCookie, signedOutCookieOptions);
    const matches = constantTimeEquals(expected, req.query.state);
    // The steps of this sign-out, shown once, with the return checked as the last one.
    const sealed = config.showSignInFlow ? readCookie(req, stepsCookie) : undefined;
    const signOut = sealed ? await sealedSteps.open(sealed) : null;
    if (sealed) res.clearCookie(stepsCookie, signedOutCookieOptions);
    res.render('signed-out', {
      outcome: matches ? 'signed-out' : 'state-mismatch',
      steps: signOut ? [...signOut.steps, signedOutStep(expected, req.query.state, clock.now())] : [],
      ...walkthroughHelpers(clock.now()),
    });
  });

  return router;
}
