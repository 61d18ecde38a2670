import { timingSafeEqual } from 'node:crypto';

/** Compares a secret value with what a request presented, in constant time; anything missing never matches. */
export function constantTimeEquals(expected: string | undefined, presented: unknown): boolean {
  if (!expected || typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
