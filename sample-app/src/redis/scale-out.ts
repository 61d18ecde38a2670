/**
 * Several instances of the app behind one address (REDIS_URL): the sessions, the refresh locks and the marks of
 * ended sessions and completed sign-ins live in Redis, so any instance serves any request. A single instance needs
 * none of it: remove this folder and the lines of server.ts that call it.
 */
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import type { AppDependencies } from '../app.ts';
import { marksInRedis } from './marks.ts';
import { redisSharedRefresh } from './refresh-lock.ts';

export interface ScaleOut {
  dependencies: Required<
    Pick<AppDependencies, 'sessionStore' | 'sharedRefresh' | 'endedSessions' | 'completedSignIns'>
  >;
  close(): Promise<void>;
}

export async function redisScaleOut(
  url: string,
  lifetimes: { sessionMs: number; signInMs: number },
): Promise<ScaleOut> {
  const redis = createClient({ url });
  redis.on('error', (error: Error) => console.error(`sample-app: Redis: ${error.message}`));
  await redis.connect().catch((error: Error) => {
    throw new Error(`cannot connect to Redis at REDIS_URL: ${error.message}`);
  });
  const prefix = 'hybrid-client-kit:';
  const sessionStore = new RedisStore({ client: redis, prefix: `${prefix}sess:` });
  return {
    dependencies: {
      sessionStore,
      sharedRefresh: redisSharedRefresh(redis, prefix),
      endedSessions: marksInRedis(redis, `${prefix}ended:`, lifetimes.sessionMs),
      completedSignIns: marksInRedis(redis, `${prefix}signed-in:`, lifetimes.signInMs),
    },
    close: () => redis.close(),
  };
}
