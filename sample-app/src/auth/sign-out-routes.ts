/**
 * Sign-out: end the app's session, revoke the refresh token at the identity server (as AVEVA's samples do: a
 * refresh token outlives the session otherwise), then send the browser to the end-session endpoint with
 * id_token_hint, post_logout_redirect_uri (a registered Allowed Logout Redirect URL) and state. The identity
 * server signs the user out and sends them back to the signed-out page, which checks the state.
 */
import { randomBytes } from 'node:crypto';
import { type CookieOptions, Router } from 'express';
import * as client from 'openid-client';
import type { AppConfig } from '../config.ts';
import { constantTimeEquals } from '../web/constant-time.ts';
import { readCookie } from '../web/cookies.ts';
import { protectFormPost } from '../web/csrf.ts';
import { destroySession, sessionCookieName } from '../web/sessions.ts';
import { type IdentityServer, isUnreachable } from './identity-server.ts';

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

    let configuration: client.Configuration;
    try {
      configuration = await identityServer.configuration();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      return res.status(503).render('signed-out', { outcome: 'identity-server-unreachable' });
    }
    if (refreshToken) await revokeRefreshToken(configuration, refreshToken);

    const state = randomBytes(16).toString('base64url');
    const endSessionUrl = client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: config.postLogoutRedirectUri,
      state,
      ...(idToken && { id_token_hint: idToken }),
    });
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

/** Revocation is a courtesy to the identity server: if it fails, the user is signed out all the same. */
async function revokeRefreshToken(configuration: client.Configuration, refreshToken: string): Promise<void> {
  try {
    await client.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' });
  } catch (error) {
    const { name, message } = error as Error;
    console.warn(`sample-app: the refresh token could not be revoked at sign-out (${name}: ${message})`);
  }
}
