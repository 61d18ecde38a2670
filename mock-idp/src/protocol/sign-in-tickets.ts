/**
 * A sign-in in progress travels with the browser, not in the identity server's state: nothing is stored, and
 * nothing written to disk, for a caller who has not signed in (IdentityServer carries the authorization request in
 * the login page's returnUrl the same way). The ticket is the validated request, sealed (AES-GCM: the browser can
 * neither read nor change it), bound to the browser that started it (a cookie), and good for ten minutes. Which
 * tickets were completed is remembered, in memory and bounded, so the same form cannot complete a sign-in twice.
 */
import { randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Clock } from '../clock.ts';
import { ExpiringMap } from '../plumbing/expiring-map.ts';
import type { AuthorizationRequest } from '../store/records.ts';

export const signInTicketLifetimeMs = 10 * 60 * 1000;
const maxRememberedTickets = 100_000;

export interface OpenedTicket {
  id: string;
  request: AuthorizationRequest;
}

export class SignInTickets {
  /** Completed tickets, for as long as a ticket lives (no use remembering one later). */
  readonly #completed: ExpiringMap<string, true>;

  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {
    this.#completed = new ExpiringMap(signInTicketLifetimeMs, maxRememberedTickets, () => clock.now());
  }

  issue(request: AuthorizationRequest, browser: string): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    return new EncryptJWT({ request, browser })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + signInTicketLifetimeMs / 1000)
      .encrypt(this.key);
  }

  /** The sign-in a ticket holds, or null: malformed, expired, started in another browser, or completed. */
  async open(ticket: unknown, browser: string | undefined): Promise<OpenedTicket | null> {
    if (typeof ticket !== 'string' || ticket.length > 16_384 || !browser) return null;
    try {
      const { payload } = await jwtDecrypt(ticket, this.key, { currentDate: new Date(this.clock.now()) });
      if (payload.browser !== browser || typeof payload.jti !== 'string') return null;
      if (this.#completed.get(payload.jti)) return null;
      return { id: payload.jti, request: payload.request as AuthorizationRequest };
    } catch {
      return null;
    }
  }

  /** Marks a ticket completed; false when it already was (the same form sent twice). */
  complete(id: string): boolean {
    if (this.#completed.get(id)) return false;
    this.#completed.set(id, true);
    return true;
  }
}
