/**
 * Keys remembered for a while, by this process or, when the app's instances share Redis, by all of them: a signed-out
 * session (never to be used again), a completed sign-in (its callback redeemed once). Bounded in memory: the oldest
 * keys are forgotten first, those that have lapsed before any other. The Redis marks are in redis/marks.ts.
 */
export interface Marks {
  /** Marks the key; true when it was not marked yet (the first caller wins, across instances too). */
  add(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
}

const maxRemembered = 100_000;

export function marksInMemory(lifetimeMs: number, now: () => number = Date.now): Marks {
  const until = new Map<string, number>();
  const marked = (key: string) => (until.get(key) ?? 0) > now();
  return {
    has: async (key) => marked(key),
    // Checked and marked in one step, with nothing awaited between: of two callers, only the first wins.
    async add(key) {
      if (marked(key)) return false;
      until.delete(key);
      until.set(key, now() + lifetimeMs);
      for (const [old, lapses] of until) {
        if (lapses > now() && until.size <= maxRemembered) break;
        until.delete(old);
      }
      return true;
    },
  };
}
