/**
 * The portal: Security > Clients, as "Get started with hybrid clients" walks through it, in the edition the mock
 * is started with (domain/editions.ts). Pages are rendered on the server; the + buttons and windows work without
 * JavaScript, which only adds Copy, the menu, and keeping focus inside an open window.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { IdpContext } from '../context.ts';
import { NotFound } from '../domain/client-administration.ts';
import type { PortalEdition } from '../domain/editions.ts';
import { formBody } from '../http/form-body.ts';
import { noStore } from '../http/responses.ts';
import { tenantName } from '../http/tenant-name.ts';
import { OAuthError } from '../protocol/errors.ts';
import { clientPages } from './client-pages.ts';
import { breakableUrl, fieldAttributes, type RenderPortalPage } from './page-helpers.ts';
import {
  checkFormPost,
  PortalFormRefused,
  type PortalUser,
  portalPath,
  requireAdministrator,
  signInToPortal,
  signOutOfPortal,
} from './portal-session.ts';

export function portalRouter(ctx: IdpContext, edition: PortalEdition): Router {
  const router = Router();

  const render: RenderPortalPage = (res, view, locals, status = 200) => {
    const portal = (res.locals.portal as PortalUser | undefined) ?? null;
    noStore(res);
    res.status(status).render(`portal/${view}`, {
      portalPath,
      portal,
      tenantName: tenantName(ctx, portal?.user.tenantId ?? ''),
      edition,
      authority: ctx.authority,
      errors: {},
      fieldAttributes,
      breakableUrl,
      ...locals,
    });
  };

  router.get('/', (_req, res) => res.redirect(303, `${portalPath}/clients?type=hybrid`));

  router.get('/login', (_req, res) => render(res, 'login', { message: null, email: '' }));
  router.post('/login', formBody, checkFormPost, async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 256) : '';
    const password = typeof req.body?.password === 'string' ? req.body.password.slice(0, 1024) : '';
    const refusal = await signInToPortal(ctx, res, email, password);
    if (refusal) {
      if (refusal.retryAfterSeconds) res.set('Retry-After', String(refusal.retryAfterSeconds));
      return render(res, 'login', { message: refusal.message, email }, refusal.status);
    }
    res.redirect(303, `${portalPath}/clients?type=hybrid`);
  });

  const signedIn = requireAdministrator(ctx);
  router.post('/logout', signedIn, formBody, checkFormPost, (req, res) => {
    signOutOfPortal(ctx, req, res);
    res.redirect(303, `${portalPath}/login`);
  });

  router.use('/clients', signedIn, clientPages(ctx, edition, render));

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof PortalFormRefused) return render(res, 'problem', { problem: error.message }, 403);
    if (error instanceof NotFound)
      return render(res, 'problem', { problem: `There is no ${error.what} ${error.id}.` }, 404);
    if (error instanceof OAuthError)
      return render(res, 'problem', { problem: error.description }, error.status);
    next(error);
  });
  return router;
}
