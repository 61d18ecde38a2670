/**
 * Password guessing is slowed per account, as ASP.NET Core Identity does by default (which the Data Hub sign-in
 * is built on): five wrong passwords in a row lock the account for five minutes. Any email counts, known or not,
 * so the answer never tells which accounts exist. Kept in memory, bounded: when full, the oldest account that is
 * not locked is forgotten, so failures on other emails cannot push a lock out. Only when every tracked account is
 * locked does the oldest lock go (it is the nearest to its end). The portal's sign-in goes through the same checks.
 */
import type { Clock } from '../clock.ts';

export const maxFailedAttempts = 5;
export const lockoutMs = 5 * 60 * 1000;
export const maxTrackedAccounts = 100_000;

interface Attempts {
  failures: number;
  lockedUntil: number;
}

export class PasswordGuessing {
  readonly #accounts = new Map<string, Attempts>();

  constructor(private readonly clock: Clock) {}

  /** How long the account stays locked, in ms; 0 when it may try. */
  lockedFor(email: string): number {
    const attempts = this.#accounts.get(keyOf(email));
    return attempts ? Math.max(0, attempts.lockedUntil - this.clock.now()) : 0;
  }

  failed(email: string): void {
    const key = keyOf(email);
    const now = this.clock.now();
    const previous = this.#accounts.get(key);
    const failures = (previous && previous.lockedUntil <= now ? previous.failures : 0) + 1;
    this.#accounts.delete(key);
    this.#accounts.set(
      key,
      failures >= maxFailedAttempts
        ? { failures: 0, lockedUntil: now + lockoutMs }
        : { failures, lockedUntil: 0 },
    );
    if (this.#accounts.size > maxTrackedAccounts) this.#forgetOne(now);
  }

  #forgetOne(now: number): void {
    for (const [key, attempts] of this.#accounts) {
      if (attempts.lockedUntil <= now) {
        this.#accounts.delete(key);
        return;
      }
    }
    const oldest = this.#accounts.keys().next().value;
    if (oldest !== undefined) this.#accounts.delete(oldest);
  }

  succeeded(email: string): void {
    this.#accounts.delete(keyOf(email));
  }
}

const keyOf = (email: string) => email.trim().toLowerCase();
