/**
 * What a "Successfully Created" window shows once: a new client's Id and secret, or a new secret. Creating is a
 * POST answered with a redirect (so a reload never creates a second client); the window is on the page the
 * redirect leads to, which takes its reveal from here. A reveal is for the administrator who created it, is shown
 * once, and is forgotten after a few minutes; only the hash of a secret is kept anywhere else.
 */
import { randomBytes } from 'node:crypto';
import { ExpiringMap } from '../plumbing/expiring-map.ts';

export interface Reveal {
  kind: 'client-created' | 'secret-created';
  clientId: string;
  /** Null when the client was created without a secret (the OCS edition's procedure). */
  secretValue: string | null;
}

const lifetimeMs = 5 * 60_000;
/** Only signed-in administrators create reveals; the cap keeps even a runaway script from filling memory. */
const capacity = 1_000;

export class OneTimeReveals {
  readonly #reveals: ExpiringMap<string, { owner: string; reveal: Reveal }>;

  constructor(now: () => number) {
    this.#reveals = new ExpiringMap(lifetimeMs, capacity, now);
  }

  /** Keeps the reveal for its owner; returns the id the redirect carries. */
  put(owner: string, reveal: Reveal): string {
    const id = randomBytes(18).toString('base64url');
    this.#reveals.set(id, { owner, reveal });
    return id;
  }

  /** The reveal, once, to its owner; null when it is unknown, someone else's, shown already or too old. */
  take(owner: string, id: unknown): Reveal | null {
    if (typeof id !== 'string' || this.#reveals.get(id)?.owner !== owner) return null;
    return this.#reveals.take(id)?.reveal ?? null;
  }
}
