/**
 * Sign-in with the hybrid flow, in two routes:
 * 1. GET /login remembers state, nonce and PKCE verifier (in the sign-in cookie) and sends the browser to the
 *    identity server (auth/identity-server.ts builds the request).
 * 2. POST /callback (REDIRECT_URI) takes the transaction, redeems the code (state, nonce, c_hash and PKCE checked),
 *    and starts a fresh session holding the tokens.
 */
import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import * as client from 'openid-client';
import { SignInFailed } from '../auth/failures.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { TokenKeeper } from '../auth/tokens.ts';
import type { AppConfig } from '../config.ts';
import type { ExtensionHooks } from '../extension.ts';
import type { Marks } from '../marks.ts';
import { safeReturnTo } from './return-to.ts';
import { regenerateSession, saveSession } from './sessions.ts';
import { SignInTransactions } from './sign-in-transaction.ts';

export function signInRoutes(
  config: AppConfig,
  identityServer: IdentityServer,
  tokens: TokenKeeper,
  completed: Marks,
  hooks: ExtensionHooks,
): Router {
  const router = Router();
  const transactions = new SignInTransactions(config.sessionSecret, config.callbackPath, completed);

  router.get('/login', async (req, res) => {
    const transaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(req.query.returnTo),
    };
    const authorizationUrl = await identityServer.authorizationUrl(transaction);
    await transactions.save(req, res, transaction);
    await hooks.signInStarted({ req, res, authorizationUrl });
    res.redirect(303, authorizationUrl.href);
  });

  router.post(
    config.callbackPath,
    express.urlencoded({ extended: false, limit: '64kb' }),
    async (req, res) => {
      const fields = (req.body ?? {}) as Record<string, unknown>;

      // 1. Take the transaction this callback belongs to (by its state).
      const taken = await transactions.take(
        req,
        res,
        typeof fields.state === 'string' ? fields.state : undefined,
      );
      if (taken.kind === 'unknown') {
        throw new SignInFailed(
          'This sign-in cannot be completed',
          'It took longer than ten minutes, was already completed, or was started in another browser. Sign in again.',
        );
      }
      // The same callback delivered twice: the first delivery redeems the code and starts the session. Spending the
      // code again would fail, and a server that revokes on code reuse would end the session the first one started.
      if (taken.kind === 'already-used') return res.redirect(303, taken.transaction.returnTo);
      const { transaction } = taken;

      // 2. Redeem the code: state, id_token signature, nonce, c_hash and PKCE are checked first.
      const callback = new URLSearchParams(
        Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      const { response, user } = await identityServer.redeem(callback, transaction);

      // 3. Start a session: a new session id at sign-in, so one planted before is worth nothing (session fixation).
      await regenerateSession(req);
      req.session.user = user;
      tokens.keep(req.session, response);
      req.session.csrfToken = randomBytes(32).toString('base64url');
      await hooks.signedIn({
        req,
        res,
        session: req.session,
        state: transaction.state,
        callback,
        codeVerifier: transaction.codeVerifier,
      });
      await saveSession(req);
      res.redirect(303, transaction.returnTo);
    },
  );

  return router;
}
