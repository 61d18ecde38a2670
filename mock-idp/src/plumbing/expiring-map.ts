/**
 * Entries that lapse, bounded in memory, for state kept about callers who have not signed in or for a short while:
 * adding one first forgets the lapsed entries at the old end and, when full, the oldest. Every entry lives the same
 * time, so insertion order is age order.
 */
export class ExpiringMap<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  set(key: K, value: V): void {
    const now = this.now();
    for (const [old, entry] of this.#entries) {
      if (entry.expiresAt > now && this.#entries.size < this.capacity) break;
      this.#entries.delete(old);
    }
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: now + this.lifetimeMs });
  }

  /** The value, until it lapses. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  /** Takes the value out: it is not there any more, lapsed or not. */
  take(key: K): V | undefined {
    const value = this.get(key);
    this.#entries.delete(key);
    return value;
  }
}
