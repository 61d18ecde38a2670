/**
 * The composition of the identity server's HTTP surface: the OpenID Connect endpoints under the issuer's path,
 * the Data Hub API under /api/v1, and the test controls when enabled.
 */
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { IdpContext } from './context.ts';
import type { MockIdpControls } from './controls/test-controls.ts';
import { dataHubApiRouter } from './data-hub-api/router.ts';
import type { PortalEdition } from './domain/editions.ts';
import { durableResponses, type Persistence } from './http/durable-responses.ts';
import { requestLogging } from './http/request-logging.ts';
import { pageErrors, sendJsonError } from './http/responses.ts';
import { authorizeRouter } from './http/routes/authorize.ts';
import { backChannelRouter } from './http/routes/back-channel.ts';
import { consentRouter } from './http/routes/consent.ts';
import { discoveryRouter } from './http/routes/discovery.ts';
import { endSessionRouter } from './http/routes/end-session.ts';
import { homeRouter } from './http/routes/home.ts';
import { loginRouter } from './http/routes/login.ts';
import { testControlsRouter } from './http/routes/test-controls.ts';
import { cspNonce, securityHeaders } from './http/security-headers.ts';
import { portalRouter } from './portal/portal-router.ts';
import { portalPath } from './portal/portal-session.ts';
import { OAuthError } from './protocol/errors.ts';

export interface AppOptions {
  /** The edition the portal and the home page present; the protocol knows nothing of it. */
  edition: PortalEdition;
  /** The test controls to serve at /__mock__; absent, the control surface does not exist. */
  testControls?: MockIdpControls | undefined;
  /** Where the state is saved; responses that changed it wait until it is on disk. */
  persistence?: Persistence | undefined;
}

export const testControlsPath = '/__mock__';
const dataHubApiPath = '/api/v1';
const viewsFolder = fileURLToPath(new URL('./views', import.meta.url));
const assetsFolder = fileURLToPath(new URL('../public', import.meta.url));

export function createIdpApp(ctx: IdpContext, options: AppOptions): Express {
  const identityPath = new URL(ctx.authority).pathname.replace(/\/$/, '');
  const app = express();
  app.disable('x-powered-by');
  app.set('views', viewsFolder);
  app.set('view engine', 'ejs');
  // The pages are compiled once, not at every render (Express caches them only under NODE_ENV=production): the
  // form_post page is on every sign-in's path.
  app.set('view cache', true);
  app.locals.assetsPath = `${identityPath}/assets`;
  // The identity server's pages name the product of the portal's edition (AVEVA Data Hub, or OCS before it).
  app.locals.product = options.edition.product;

  if (options.persistence) app.use(durableResponses(options.persistence));
  app.use(cspNonce, securityHeaders, cookieParser());
  app.use(`${identityPath}/assets`, express.static(assetsFolder, { fallthrough: false, index: false }));
  app.use(identityPath, [
    requestLogging(ctx),
    discoveryRouter(ctx),
    authorizeRouter(ctx),
    loginRouter(ctx),
    consentRouter(ctx),
    backChannelRouter(ctx),
    endSessionRouter(ctx),
  ]);
  app.use(homeRouter(ctx, { api: dataHubApiPath, portal: portalPath }, options.edition));
  app.use(dataHubApiPath, dataHubApiRouter(ctx));
  app.use(portalPath, portalRouter(ctx, options.edition));
  if (options.testControls) app.use(testControlsPath, testControlsRouter(ctx, options.testControls));

  app.use((req, res) => {
    const notFound = new OAuthError('invalid_request', `nothing at ${req.method} ${req.path}`, 404);
    if (req.accepts(['html', 'json']) === 'html') pageErrors(notFound, req, res, () => {});
    else sendJsonError(res, notFound);
  });
  app.use(pageErrors);
  return app;
}
