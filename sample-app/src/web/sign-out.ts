/**
 * Sign-out: end the app's session, revoke the refresh token at the identity server (as AVEVA's samples do: a
 * refresh token outlives the session otherwise), then send the browser to the end-session endpoint with
 * id_token_hint, post_logout_redirect_uri (a registered Allowed Logout Redirect URL) and state. The identity
 * server signs the user out and sends them back to the signed-out page, which checks the state.
 */
import { randomBytes } from 'node:crypto';
import { type CookieOptions, Router } from 'express';
import { isUnreachable, SignedOutOfAppOnly } from '../auth/failures.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { AppConfig } from '../config.ts';
import { constantTimeEquals } from './constant-time.ts';
import { readCookie } from './cookies.ts';
import { protectFormPost } from './csrf.ts';
import { destroySession, sessionCookieName } from './sessions.ts';

const stateCookie = 'hck_signout_state';

export function signOutRoutes(config: AppConfig, identityServer: IdentityServer): Router {
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
    await destroySession(req);
    res.clearCookie(sessionCookieName, { path: '/' });

    const state = randomBytes(16).toString('base64url');
    let endSessionUrl: URL;
    try {
      if (refreshToken) await identityServer.revoke(refreshToken);
      endSessionUrl = await identityServer.endSessionUrl(idToken, state);
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
    res.render('signed-out', { outcome: matches ? 'signed-out' : 'state-mismatch' });
  });

  return router;
}
