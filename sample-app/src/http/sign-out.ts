/**
 * Sign-out: end the app's session, revoke the refresh token at the identity server (AVEVA's hybrid sample does
 * not, but a refresh token outlives the session otherwise), then send the browser to the end-session endpoint with
 * id_token_hint, post_logout_redirect_uri (a registered Allowed Logout Redirect URL) and state. The identity
 * server signs the user out and sends them back to the signed-out page, which checks the state.
 */
import { randomBytes } from 'node:crypto';
import { type CookieOptions, Router } from 'express';
import { isUnreachable, SignedOutOfAppOnly } from '../auth/failures.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { TokenKeeper } from '../auth/tokens.ts';
import type { AppConfig } from '../config.ts';
import type { ExtensionHooks } from '../extension.ts';
import { constantTimeEquals } from './constant-time.ts';
import { readCookie } from './cookies.ts';
import { protectFormPost } from './csrf.ts';
import { destroySession, sessionCookieName } from './sessions.ts';

const stateCookie = 'hck_signout_state';
const cookieLifetimeSeconds = 10 * 60;

export function signOutRoutes(
  config: AppConfig,
  identityServer: IdentityServer,
  tokens: TokenKeeper,
  hooks: ExtensionHooks,
): Router {
  const router = Router();
  // The return from the identity server is a top-level GET navigation, so a SameSite=Lax cookie comes along.
  const signedOutCookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: config.signedOutPath,
  };

  router.post('/logout', ...protectFormPost(config.appOrigin), async (req, res) => {
    // The newest tokens, once no refresh of this session is in flight; after this none is kept for it.
    const { idToken, refreshToken } = (await tokens.end(req.session)) ?? {};
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
    res.cookie(stateCookie, state, { ...signedOutCookieOptions, maxAge: cookieLifetimeSeconds * 1000 });
    await hooks.signingOut({ req, res, endSessionUrl });
    res.redirect(303, endSessionUrl.href);
  });

  router.get(config.signedOutPath, async (req, res) => {
    const expected = readCookie(req, stateCookie);
    res.clearCookie(stateCookie, signedOutCookieOptions);
    const matches = constantTimeEquals(expected, req.query.state);
    await hooks.signedOutReturn({ req, res, stateMatched: matches });
    res.render('signed-out', { outcome: matches ? 'signed-out' : 'state-mismatch' });
  });

  return router;
}
