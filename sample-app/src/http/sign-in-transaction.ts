/**
 * What the app must remember between sending the browser to the identity server and the form_post callback:
 * state, nonce, PKCE verifier and where the user was going.
 *
 * It cannot live in the session. The callback is a POST from the identity server's site: in production the two
 * are different sites, and browsers do not send a SameSite=Lax session cookie with a cross-site POST. So it
 * travels in a short-lived cookie of its own, SameSite=None; Secure (allowed on http://localhost too), sent to the
 * callback path only, encrypted and authenticated with a key derived from the session secret, so the browser can
 * neither read nor forge it.
 *
 * Bounded: a few slots, filled in turn, so several tabs can sign in at once while a page that starts sign-in after
 * sign-in (in a loop, or cross-site) only ever overwrites the oldest slot instead of piling up cookies until every
 * callback is too large to be read. And used once: the callback marks its transaction completed (marks.ts: in this
 * process, or in Redis for every instance), so the same form_post delivered twice (a double submit, a retried POST,
 * two instances behind a balancer) redeems the code only once.
 */
import { createHash } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { SignInExpectations } from '../auth/identity-server.ts';
import type { Marks } from '../marks.ts';
import { readCookie } from './cookies.ts';
import { SealedCookie } from './sealed-cookie.ts';

export interface SignInTransaction extends SignInExpectations {
  returnTo: string;
}

/** What the callback finds for a state: nothing, a transaction to complete, or one already completed. */
export type TakenTransaction =
  | { kind: 'unknown' }
  | { kind: 'fresh'; transaction: SignInTransaction }
  | { kind: 'already-used'; transaction: SignInTransaction };

const lifetimeSeconds = 10 * 60;
/** How long a sign-in may take, and so how long a completed one must be remembered. */
export const signInLifetimeMs = lifetimeSeconds * 1000;
/** How many sign-ins may be in progress at once in one browser (tabs); a further one replaces the oldest. */
export const signInSlots = 4;
const slotCookie = (slot: number) => `hck_signin_${slot}`;
/** Which slot the next sign-in takes; read by /login only. */
const nextSlotCookie = 'hck_signin_next';

export class SignInTransactions {
  readonly #sealed: SealedCookie<SignInTransaction>;

  constructor(
    sessionSecret: string,
    private readonly callbackPath: string,
    /** The states of completed sign-ins, hashed. */
    private readonly completed: Marks,
  ) {
    this.#sealed = new SealedCookie(sessionSecret, 'sign-in transaction');
  }

  async save(req: Request, res: Response, transaction: SignInTransaction): Promise<void> {
    const asked = Number(readCookie(req, nextSlotCookie));
    const slot = Number.isInteger(asked) && asked >= 0 && asked < signInSlots ? asked : 0;
    const sealed = await this.#sealed.seal(transaction, lifetimeSeconds);
    res.cookie(slotCookie(slot), sealed, { ...this.#options(), maxAge: lifetimeSeconds * 1000 });
    res.cookie(nextSlotCookie, String((slot + 1) % signInSlots), {
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/login',
      maxAge: lifetimeSeconds * 1000,
    });
  }

  /**
   * The transaction the callback's state belongs to. Its cookie is cleared, and it is marked completed: of two
   * deliveries of the same callback, to one instance or two, only the first to mark it is fresh.
   */
  async take(req: Request, res: Response, state: string | undefined): Promise<TakenTransaction> {
    if (!state) return { kind: 'unknown' };
    for (let slot = 0; slot < signInSlots; slot += 1) {
      const sealed = readCookie(req, slotCookie(slot));
      const transaction = sealed ? await this.#sealed.open(sealed) : null;
      if (transaction?.state !== state) continue;
      res.clearCookie(slotCookie(slot), this.#options());
      const key = createHash('sha256').update(state).digest('base64url');
      return (await this.completed.add(key))
        ? { kind: 'fresh', transaction }
        : { kind: 'already-used', transaction };
    }
    return { kind: 'unknown' };
  }

  #options(): CookieOptions {
    return { httpOnly: true, secure: true, sameSite: 'none', path: this.callbackPath };
  }
}
