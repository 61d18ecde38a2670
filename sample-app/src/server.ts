/** Starts the sample app: the session store (Redis when REDIS_URL is set), the app, the HTTP server. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore } from 'connect-redis';
import type { Store } from 'express-session';
import { createClient } from 'redis';
import { createApp } from './app.ts';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config.ts';
import type { AppExtension } from './extension.ts';
import { marksInRedis } from './web/marks.ts';
import { sessionLifetimeMs } from './web/sessions.ts';
import { redisSharedRefresh } from './web/shared-refresh.ts';
import { signInLifetimeMs } from './web/sign-in-transaction.ts';

export interface RunningSampleApp {
  /** Where the server listens, e.g. http://127.0.0.1:3000 (users open config.appOrigin). */
  listening: string;
  server: Server;
  close(): Promise<void>;
}

export async function startSampleApp(
  config: AppConfig,
  options: { clock?: Clock; sessionStore?: Store; extension?: AppExtension } = {},
): Promise<RunningSampleApp> {
  const redis = config.redisUrl ? createClient({ url: config.redisUrl }) : null;
  if (redis) {
    redis.on('error', (error: Error) => console.error(`sample-app: Redis: ${error.message}`));
    await redis.connect().catch((error: Error) => {
      throw new Error(`cannot connect to Redis at REDIS_URL: ${error.message}`);
    });
  }
  const prefix = 'hybrid-client-kit:';
  const sessionStore = redis
    ? new RedisStore({ client: redis, prefix: `${prefix}sess:` })
    : options.sessionStore;
  const app = createApp({
    config,
    sessionStore,
    clock: options.clock,
    extension: options.extension,
    ...(redis &&
      sessionStore && {
        sharedRefresh: redisSharedRefresh(redis, sessionStore, prefix),
        endedSessions: marksInRedis(redis, `${prefix}ended:`, sessionLifetimeMs),
        completedSignIns: marksInRedis(redis, `${prefix}signed-in:`, signInLifetimeMs),
      }),
  });

  const server = createServer(app);
  // Node's default accept queue (511) overflows when a thousand browsers connect at once, and the ones left
  // out are reset; the kernel caps this at its own somaxconn.
  server.listen({ port: config.port, host: config.host, backlog: 4096 });
  await once(server, 'listening').catch(async (error: NodeJS.ErrnoException) => {
    await redis?.close();
    if (error.code !== 'EADDRINUSE') throw error;
    throw new Error(
      `the sample app cannot listen on ${config.host}:${config.port}: another program uses it; set PORT to a free port`,
    );
  });
  const { address, port, family } = server.address() as AddressInfo;
  return {
    listening: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`,
    server,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      await redis?.close();
    },
  };
}
