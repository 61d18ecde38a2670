/**
 * Refresh locks in Redis, for an app on several instances sharing their sessions there: `SET key owner NX PX ttl`
 * takes a lock that lapses by itself; only its owner deletes it.
 */
import { randomUUID } from 'node:crypto';
import type { SharedRefresh } from '../auth/tokens.ts';
import type { RedisCommands } from './commands.ts';

const releaseIfOwner =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export function redisSharedRefresh(
  redis: Pick<RedisCommands, 'set' | 'eval'>,
  prefix: string,
): SharedRefresh {
  const lockKey = (sessionId: string) => `${prefix}refresh-lock:${sessionId}`;
  return {
    async acquire(sessionId, ttlMs) {
      const owner = randomUUID();
      const taken = await redis.set(lockKey(sessionId), owner, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return taken === 'OK' ? owner : null;
    },
    async release(sessionId, owner) {
      await redis.eval(releaseIfOwner, { keys: [lockKey(sessionId)], arguments: [owner] });
    },
  };
}
