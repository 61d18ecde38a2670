/**
 * The pool the mock's codes, refresh tokens, jti and nonces take their random bytes from: every byte is handed out
 * once, across the refills too, and what a caller gets is its own copy.
 */
import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../../mock-idp/src/plumbing/random-pool.ts';

describe('pooled random bytes', () => {
  it('never hands out the same bytes twice, across several refills of the pool', () => {
    // 16-byte draws over five pools' worth: a repeat would show a draw handed out twice, or a pool not refilled.
    const draws = Array.from({ length: 1300 }, () => pooledRandomBytes(16).toString('hex'));
    expect(new Set(draws).size).toBe(draws.length);
    expect(draws.every((draw) => draw.length === 32)).toBe(true);
  });

  it('gives the size asked for, from one byte to more than the pool holds', () => {
    for (const size of [1, 7, 32, 4095, 4096, 4097, 10_000])
      expect(pooledRandomBytes(size)).toHaveLength(size);
  });

  it('gives a copy: changing it changes nothing the next caller gets', () => {
    const first = pooledRandomBytes(32);
    first.fill(0);
    const next = pooledRandomBytes(32);
    expect(next.equals(Buffer.alloc(32))).toBe(false);
    expect(first.buffer === next.buffer && first.byteOffset + 32 > next.byteOffset).toBe(false);
  });
});
