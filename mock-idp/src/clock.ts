/**
 * Every rule that depends on time (code, token, secret and session expiry) reads the time from a Clock,
 * so tests move time forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that follows another one, shifted by an offset that only ever grows. */
export class AdjustableClock implements Clock {
  #offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('time only moves forward');
    this.#offsetMs += seconds * 1000;
  }
}

export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
