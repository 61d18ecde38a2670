/** Starts the sample app: the session store (Redis when REDIS_URL is set: redis/), the app, the HTTP server. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from 'express-session';
import { createApp } from './app.ts';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config.ts';
import type { AppExtension } from './extension.ts';
import { sessionLifetimeMs } from './http/sessions.ts';
import { signInLifetimeMs } from './http/sign-in-transaction.ts';

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
  // Loaded only when used: the Redis client alone takes ~0.2 s to load, a fifth of the app's start.
  const scaleOut = config.redisUrl
    ? await (await import('./redis/scale-out.ts')).redisScaleOut(config.redisUrl, {
        sessionMs: sessionLifetimeMs,
        signInMs: signInLifetimeMs,
      })
    : null;
  const app = createApp({
    config,
    sessionStore: options.sessionStore,
    clock: options.clock,
    extension: options.extension,
    ...scaleOut?.dependencies,
  });

  const server = createServer(app);
  // Node's default accept queue (511) overflows when a thousand browsers connect at once, and the ones left
  // out are reset; the kernel caps this at its own somaxconn.
  server.listen({ port: config.port, host: config.host, backlog: 4096 });
  await once(server, 'listening').catch(async (error: NodeJS.ErrnoException) => {
    await scaleOut?.close();
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
      await scaleOut?.close();
    },
  };
}
