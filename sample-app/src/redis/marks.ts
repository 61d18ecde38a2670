/** Marks (../marks.ts) kept in Redis, for instances that share it: `SET key 1 NX PX lifetime`, the first caller wins. */
import type { Marks } from '../marks.ts';
import type { RedisCommands } from './commands.ts';

export function marksInRedis(
  redis: Pick<RedisCommands, 'set' | 'exists'>,
  prefix: string,
  lifetimeMs: number,
): Marks {
  return {
    async add(key) {
      const set = await redis.set(`${prefix}${key}`, '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: lifetimeMs },
      });
      return set === 'OK';
    },
    has: async (key) => (await redis.exists(`${prefix}${key}`)) > 0,
  };
}
