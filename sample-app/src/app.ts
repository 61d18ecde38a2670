/**
 * The sample app's composition: security headers, sessions, sign-in, sign-out, pages, error pages, and what an
 * extension adds (extension.ts).
 */
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { MemoryStore, type Store } from 'express-session';
import helmet from 'helmet';
import { IdentityServer } from './auth/identity-server.ts';
import { type SharedRefresh, TokenKeeper } from './auth/tokens.ts';
import { type Clock, systemClock } from './clock.ts';
import type { AppConfig } from './config.ts';
import { type AppExtension, extensionHooks } from './extension.ts';
import { errorPages } from './http/failure-pages.ts';
import { GuardedStore } from './http/guarded-store.ts';
import { pages } from './http/pages.ts';
import { sessionLifetimeMs, sessions, storedTokensIn } from './http/sessions.ts';
import { signInRoutes } from './http/sign-in.ts';
import { signInLifetimeMs } from './http/sign-in-transaction.ts';
import { signOutRoutes } from './http/sign-out.ts';
import { type Marks, marksInMemory } from './marks.ts';

export interface AppDependencies {
  config: AppConfig;
  /** Default: in-memory sessions (one instance only). */
  sessionStore?: Store;
  /** With sessions shared between instances: refreshes kept to one at a time across them. */
  sharedRefresh?: SharedRefresh;
  /** Signed-out sessions, shared between instances with their sessions. Default: in this process. */
  endedSessions?: Marks;
  /** Completed sign-ins (their callbacks), shared between instances likewise. Default: in this process. */
  completedSignIns?: Marks;
  clock?: Clock;
  /** Pages, views and hooks added to the app (the kit's "How this sign-in worked"). */
  extension?: AppExtension;
}

export function createApp({
  config,
  sessionStore,
  sharedRefresh,
  endedSessions = marksInMemory(sessionLifetimeMs),
  completedSignIns = marksInMemory(signInLifetimeMs),
  clock = systemClock,
  extension = {},
}: AppDependencies): Express {
  const hooks = extensionHooks(extension);
  const identityServer = new IdentityServer(config, extension.fetch);
  // The lock outlives a refresh that takes as long as the identity server may: the next waiter takes over after.
  const lockTtlMs = (config.httpTimeoutSeconds + 5) * 1000;
  const store = sessionStore ?? new MemoryStore();
  const tokens = new TokenKeeper(
    identityServer,
    clock,
    config.refreshBeforeExpirySeconds * 1000,
    endedSessions,
    storedTokensIn(store),
    sharedRefresh ? { refresh: sharedRefresh, lockTtlMs } : null,
    hooks.refreshed,
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', [
    fileURLToPath(new URL('../views', import.meta.url)),
    ...(extension.views ? [extension.views] : []),
  ]);
  app.set('view engine', 'ejs');

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Sign-out posts a form that redirects to the identity server: allow that one other origin.
          formAction: ["'self'", config.issuer.origin],
          frameAncestors: ["'none'"],
          // Over plain http (local development) this would send the browser to https:// addresses that do not exist.
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      // Tokens never appear in URLs, but the identity server's and API's addresses need not leak either.
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.secureCookies,
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use('/assets', express.static(fileURLToPath(new URL('../public', import.meta.url)), { index: false }));
  app.use(sessions(config, new GuardedStore(store, endedSessions)));
  app.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.locals.user = req.session.user ?? null;
    res.locals.csrfToken = req.session.csrfToken ?? '';
    next();
  });

  if (extension.beforeRoutes) app.use(extension.beforeRoutes);
  app.use(signInRoutes(config, identityServer, tokens, completedSignIns, hooks));
  app.use(signOutRoutes(config, identityServer, tokens, hooks));
  app.use(pages(config, tokens, clock));
  if (extension.routes) app.use(extension.routes);
  app.use((_req, res) => {
    res
      .status(404)
      .render('error', { status: 404, title: 'Page not found', detail: 'There is no page at this address.' });
  });
  app.use(errorPages(config));
  return app;
}
