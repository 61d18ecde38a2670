/**
 * Sign-in with the hybrid flow:
 * 1. GET /login sends the browser to the identity server with response_type=code id_token, form_post, state,
 *    nonce, PKCE (S256) and acr_values=tenant:{tenantId}.
 * 2. The identity server signs the user in and POSTs code, id_token and state to the callback (REDIRECT_URI).
 * 3. The callback has openid-client check everything (state, id_token signature, nonce, c_hash), redeems the
 *    code with the client secret and the PKCE verifier, starts a fresh session and keeps the tokens there.
 */

import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, Router } from 'express';
import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { safeReturnTo } from '../web/return-to.ts';
import { regenerateSession, saveSession } from '../web/sessions.ts';
import { type IdentityServer, IdentityServerUnavailable, isUnreachable } from './identity-server.ts';
import type { SignedInUser } from './session-data.ts';
import { SignInTransactions } from './sign-in-transaction.ts';
import { tokenSetFrom } from './tokens.ts';

export class SignInFailed extends Error {
  constructor(
    readonly title: string,
    readonly detail: string,
    readonly status = 400,
  ) {
    super(`${title}: ${detail}`);
  }
}

/**
 * What a failed code redemption is, for the error page: an unreachable server, or a callback the browser brought
 * that oauth4webapi cannot even decode (its TypeErrors with ERR_INVALID_ARG_* codes: bad input, not a fault here).
 */
function callbackFailure(error: unknown): unknown {
  if (isUnreachable(error)) return new IdentityServerUnavailable(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_INVALID_ARG')) {
    return new SignInFailed(
      'The sign-in response could not be verified',
      'Part of it is not well formed (an id_token or code altered on the way). Sign in again.',
    );
  }
  return error;
}

export function signInRoutes(config: AppConfig, identityServer: IdentityServer, clock: Clock): Router {
  const router = Router();
  const transactions = new SignInTransactions(config.sessionSecret, config.callbackPath);

  router.get('/login', async (req: Request, res: Response) => {
    const configuration = await identityServer.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const transaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      returnTo: safeReturnTo(req.query.returnTo),
    };
    await transactions.save(req, res, transaction);
    const authorizationUrl = client.buildAuthorizationUrl(configuration, {
      redirect_uri: config.redirectUri,
      scope: config.scopes,
      response_mode: 'form_post',
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      // Data Hub signs users in to a tenant: name it, so the identity server goes straight to it.
      acr_values: `tenant:${config.tenantId}`,
    });
    res.redirect(303, authorizationUrl.href);
  });

  router.post(
    config.callbackPath,
    express.urlencoded({ extended: false, limit: '64kb' }),
    async (req, res) => {
      const fields = (req.body ?? {}) as Record<string, unknown>;
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
      // openid-client takes the callback as a fetch Request. Its URL must be the registered redirect URI itself
      // (never built from the Host header): it is sent again with the code, and must match exactly.
      const callbackParameters = new URLSearchParams(
        Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      const { configuration, response } = await identityServer
        .withCurrentKeys(async (configuration) => {
          const callback = new Request(config.redirectUri, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: callbackParameters,
          });
          const response = await client.authorizationCodeGrant(configuration, callback, {
            expectedState: transaction.state,
            expectedNonce: transaction.nonce,
            pkceCodeVerifier: transaction.codeVerifier,
            idTokenExpected: true,
          });
          return { configuration, response };
        })
        .catch((error: unknown) => {
          throw callbackFailure(error);
        });
      const claims = response.claims();
      if (!claims)
        throw new SignInFailed('The sign-in response is incomplete', 'The identity server sent no id_token.');

      // A new session id at sign-in, so a session id planted before sign-in is worth nothing (session fixation).
      await regenerateSession(req);
      req.session.user = await signedInUser(configuration, response.access_token, claims, config.tenantId);
      req.session.tokens = tokenSetFrom(response, clock.now());
      req.session.csrfToken = randomBytes(32).toString('base64url');
      await saveSession(req);
      res.redirect(303, transaction.returnTo);
    },
  );

  return router;
}

/** The user's name and email come from the UserInfo endpoint; the id_token is enough if that fails. */
async function signedInUser(
  configuration: client.Configuration,
  accessToken: string,
  claims: client.IDToken,
  defaultTenant: string,
): Promise<SignedInUser> {
  const info = await client.fetchUserInfo(configuration, accessToken, claims.sub).catch(() => null);
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    subject: claims.sub,
    name: text(info?.name) ?? text(claims.name) ?? text(info?.email) ?? claims.sub,
    email: text(info?.email) ?? text(claims.email),
    tenantId: text(claims.tid) ?? defaultTenant,
    claims: { ...claims },
  };
}
