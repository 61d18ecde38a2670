/**
 * What the app must remember between sending the browser to the identity server and the form_post callback:
 * state, nonce, PKCE verifier and where the user was going.
 *
 * It cannot live in the session. The callback is a POST from the identity server's site: in production the two
 * are different sites, and browsers do not send a SameSite=Lax session cookie with a cross-site POST. So it
 * travels in its own short-lived cookie, SameSite=None; Secure (allowed on http://localhost too), encrypted
 * and authenticated with a key derived from the session secret, so the browser can neither read nor forge it.
 * One cookie per sign-in (named after its state), so two tabs signing in at once do not overwrite each other.
 */
import { createHash, hkdfSync } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { readCookie } from '../web/cookies.ts';

export interface SignInTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

const lifetimeSeconds = 10 * 60;
const cookiePrefix = 'hck_signin_';

export class SignInTransactions {
  readonly #key: Uint8Array;

  constructor(
    sessionSecret: string,
    private readonly callbackPath: string,
  ) {
    this.#key = new Uint8Array(
      hkdfSync('sha256', sessionSecret, 'hybrid-client-kit', 'sign-in transaction', 32),
    );
  }

  async save(res: Response, transaction: SignInTransaction): Promise<void> {
    const sealed = await new EncryptJWT({ ...transaction })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .encrypt(this.#key);
    res.cookie(cookieName(transaction.state), sealed, { ...this.#options(), maxAge: lifetimeSeconds * 1000 });
  }

  /** The transaction the callback's state belongs to, removed so it cannot be used twice; null when absent. */
  async take(req: Request, res: Response, state: string | undefined): Promise<SignInTransaction | null> {
    if (!state) return null;
    const name = cookieName(state);
    const sealed = readCookie(req, name);
    if (!sealed) return null;
    res.clearCookie(name, this.#options());
    try {
      const { payload } = await jwtDecrypt(sealed, this.#key);
      const transaction = payload as unknown as SignInTransaction;
      return transaction.state === state ? transaction : null;
    } catch {
      return null;
    }
  }

  #options(): CookieOptions {
    return { httpOnly: true, secure: true, sameSite: 'none', path: this.callbackPath };
  }
}

const cookieName = (state: string) =>
  cookiePrefix + createHash('sha256').update(state).digest('base64url').slice(0, 16);
