import { timingSafeEqual } from 'node:crypto';

/** Compares a secret with what a caller presented without leaking, through timing, how much of it matched. */
export function constantTimeEquals(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
