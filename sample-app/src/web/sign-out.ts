/**
 * Sign-out: end the app's session, revoke the refresh token at the identity server (as AVEVA's samples do: a
 * refresh token outlives the session otherwise), then send the browser to the end-session endpoint with
 * id_token_hint, post_logout_redirect_uri (a registered Allowed Logout Redirect URL) and state. The identity
 * server signs the user out and sends them back to the signed-out page, which checks the state.
 */
import { randomBytes } from 'node:crypto';
import { type CookieOptions, Router } from 'express';
import { recordExchanges } from '../auth/exchange-recorder.ts';
import { isUnreachable, SignedOutOfAppOnly } from '../auth/failures.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { noteSignedOut, withSignOut } from '../walkthrough/journal.ts';
import { signedOutStep, signOutSteps } from '../walkthrough/steps.ts';
import { constantTimeEquals } from './constant-time.ts';
import { readCookie } from './cookies.ts';
import { protectFormPost } from './csrf.ts';
import { destroySession, regenerateSession, saveSession, sessionCookieName } from './sessions.ts';

const stateCookie = 'hck_signout_state';

export function signOutRoutes(config: AppConfig, identityServer: IdentityServer, clock: Clock): Router {
  const router = Router();
  // The return from the identity server is a top-level GET navigation, so a SameSite=Lax cookie comes along.
  const stateCookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: config.signedOutPath,
  };

  router.post('/logout', ...protectFormPost(config.appOrigin), async (req, res) => {
    const { idToken, refreshToken } = req.session.tokens ?? {};
    // With the walkthrough on, a new session (holding nothing but the redacted walkthrough) replaces the signed-in
    // one, so the sign-out can be shown too; otherwise the session simply ends.
    const walkthrough = config.showSignInFlow ? req.session.walkthrough : undefined;
    if (walkthrough) {
      await regenerateSession(req);
    } else {
      await destroySession(req);
      res.clearCookie(sessionCookieName, { path: '/' });
    }

    const state = randomBytes(16).toString('base64url');
    let endSessionUrl: URL;
    try {
      const revocation = await recordExchanges(async () => {
        if (refreshToken) await identityServer.revoke(refreshToken);
      });
      endSessionUrl = await identityServer.endSessionUrl(idToken, state);
      if (walkthrough) {
        const endpoints = await identityServer.endpoints();
        const steps = signOutSteps(revocation.exchanges, endpoints, endSessionUrl, clock.now());
        req.session.walkthrough = withSignOut(walkthrough, steps);
        await saveSession(req);
      }
    } catch (error) {
      throw isUnreachable(error) ? new SignedOutOfAppOnly(error) : error;
    }
    res.cookie(stateCookie, state, { ...stateCookieOptions, maxAge: 10 * 60 * 1000 });
    res.redirect(303, endSessionUrl.href);
  });

  router.get(config.signedOutPath, (req, res) => {
    const expected = readCookie(req, stateCookie);
    res.clearCookie(stateCookie, stateCookieOptions);
    const matches = constantTimeEquals(expected, req.query.state);
    if (config.showSignInFlow)
      noteSignedOut(req.session, signedOutStep(expected, req.query.state, clock.now()));
    res.render('signed-out', {
      outcome: matches ? 'signed-out' : 'state-mismatch',
      walkthrough: Boolean(req.session.walkthrough),
    });
  });

  return router;
}
