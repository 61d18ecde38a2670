/** The app reads the time through a clock, so tests can move it forward to reach token expiry. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
