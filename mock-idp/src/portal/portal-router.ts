/**
 * The portal: Security > Clients, as the Data Hub edition of "Get started with hybrid clients" walks through it.
 * Pages are rendered on the server; the + buttons and windows work without JavaScript, which only adds Copy.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { IdpContext } from '../context.ts';
import { NotFound } from '../domain/client-administration.ts';
import { ClientRuleError } from '../domain/hybrid-clients.ts';
import type { HybridClient } from '../domain/model.ts';
import { formBody } from '../http/form-body.ts';
import { noStore } from '../http/responses.ts';
import { OAuthError } from '../protocol/errors.ts';
import { tenantName } from '../protocol/sign-in.ts';
import {
  addUrl,
  type ClientForm,
  clientFormFrom,
  clientSettingsFrom,
  defaultExpirationDate,
  emptyClientForm,
  type FieldErrors,
  removeUrl,
  type SecretForm,
  secretFormFrom,
  secretRequestFrom,
} from './client-form.ts';
import {
  checkFormPost,
  PortalFormRefused,
  type PortalUser,
  portalPath,
  requireAdministrator,
  signInToPortal,
  signOutOfPortal,
} from './portal-session.ts';

/** The client types of the Client Type dropdown; the mock manages hybrid clients only. */
const clientTypes = [
  { value: 'hybrid', label: 'Hybrid', supported: true },
  { value: 'client-credentials', label: 'Client-credentials', supported: false },
  { value: 'authorization-code', label: 'Authorization code (PKCE)', supported: false },
];

type AddClientStep = 'client' | 'secret' | 'created';

export function portalRouter(ctx: IdpContext): Router {
  const router = Router();
  const admin = ctx.administration;
  const signedIn = requireAdministrator(ctx);
  const portalOf = (res: Response) => res.locals.portal as PortalUser;
  const now = () => ctx.clock.now();

  function render(res: Response, view: string, locals: Record<string, unknown>, status = 200): void {
    const portal = (res.locals.portal as PortalUser | undefined) ?? null;
    const tenantId = portal?.user.tenantId ?? '';
    noStore(res);
    res.status(status).render(`portal/${view}`, {
      portalPath,
      portal,
      tenantName: tenantName(ctx, tenantId),
      ...locals,
    });
  }

  function renderAddClient(
    res: Response,
    step: AddClientStep,
    form: ClientForm,
    extra: {
      errors?: FieldErrors;
      secret?: SecretForm;
      created?: { clientId: string; secretValue: string };
    } = {},
  ): void {
    const user = portalOf(res).user;
    render(
      res,
      'add-client',
      {
        portal: portalOf(res),
        tenantName: tenantName(ctx, user.tenantId),
        step,
        form,
        errors: extra.errors ?? {},
        secret: extra.secret ?? {
          description: '',
          expiration: defaultExpirationDate(now()),
          neverExpires: false,
        },
        created: extra.created ?? null,
      },
      Object.keys(extra.errors ?? {}).length > 0 ? 400 : 200,
    );
  }

  function renderClients(
    req: Request,
    res: Response,
    extra: {
      dialog?: 'add-secret' | 'secret-created';
      secretValue?: string;
      errors?: FieldErrors;
      secret?: SecretForm;
    } = {},
  ): void {
    const { user } = portalOf(res);
    const type = clientTypes.find((candidate) => candidate.value === req.query.type) ?? clientTypes[0];
    const clients = type?.supported ? admin.hybridClients(user.tenantId) : [];
    const selectedId = typeof req.query.selected === 'string' ? req.query.selected : req.params.clientId;
    const selected = clients.find((client) => client.id === selectedId) ?? null;
    const dialog = extra.dialog ?? (req.query.dialog === 'add-secret' && selected ? 'add-secret' : null);
    render(
      res,
      'clients',
      {
        portal: portalOf(res),
        tenantName: tenantName(ctx, user.tenantId),
        clientTypes,
        type,
        clients,
        selected: selected && detailsOf(selected, now()),
        dialog,
        secretValue: extra.secretValue ?? null,
        errors: extra.errors ?? {},
        secret: extra.secret ?? {
          description: '',
          expiration: defaultExpirationDate(now()),
          neverExpires: false,
        },
      },
      Object.keys(extra.errors ?? {}).length > 0 ? 400 : 200,
    );
  }

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

  router.post('/logout', signedIn, formBody, checkFormPost, (req, res) => {
    signOutOfPortal(ctx, req, res);
    res.redirect(303, `${portalPath}/login`);
  });

  router.get('/clients', signedIn, (req, res) => renderClients(req, res));

  router.get('/clients/new', signedIn, (_req, res) => renderAddClient(res, 'client', emptyClientForm()));

  router.post('/clients/new', signedIn, formBody, checkFormPost, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const form = clientFormFrom(body);
    const action = typeof body.action === 'string' ? body.action : 'add';
    if (action === 'add-redirect' || action === 'add-logout') {
      const added = addUrl(form, action === 'add-redirect' ? 'redirect' : 'logout');
      return renderAddClient(res, 'client', added.form, { errors: added.errors });
    }
    if (action === 'back') return renderAddClient(res, 'client', form);
    const removal = /^remove-(redirect|logout)-(\d+)$/.exec(action);
    if (removal)
      return renderAddClient(res, 'client', removeUrl(form, removal[1] as 'redirect', Number(removal[2])));

    // A URL typed but not yet added with + is what the user meant: add it rather than lose it.
    const completed = [form.redirectUriInput && 'redirect', form.logoutUriInput && 'logout']
      .filter((which): which is 'redirect' | 'logout' => Boolean(which))
      .reduce((current, which) => addUrl(current, which).form, form);
    const checked = clientSettingsFrom(completed);
    if ('errors' in checked) return renderAddClient(res, 'client', completed, { errors: checked.errors });
    if (action !== 'add-secret') return renderAddClient(res, 'secret', completed);

    const secretForm = secretFormFrom(body, now());
    const secret = secretRequestFrom(secretForm, now());
    if ('errors' in secret)
      return renderAddClient(res, 'secret', completed, { errors: secret.errors, secret: secretForm });
    const created = admin.createHybridClient(portalOf(res).user.tenantId, checked.settings, secret.request);
    renderAddClient(res, 'created', completed, {
      created: { clientId: created.client.id, secretValue: created.secretValue },
    });
  });

  router.post('/clients/:clientId/secrets', signedIn, formBody, checkFormPost, (req, res) => {
    const { clientId } = req.params as { clientId: string };
    const secretForm = secretFormFrom(req.body as Record<string, unknown>, now());
    const secret = secretRequestFrom(secretForm, now());
    if ('errors' in secret)
      return renderClients(req, res, { dialog: 'add-secret', errors: secret.errors, secret: secretForm });
    try {
      const added = admin.addSecret(portalOf(res).user.tenantId, clientId, secret.request);
      renderClients(req, res, { dialog: 'secret-created', secretValue: added.secretValue });
    } catch (error) {
      if (!(error instanceof ClientRuleError)) throw error;
      renderClients(req, res, {
        dialog: 'add-secret',
        errors: { secretDescription: error.message },
        secret: secretForm,
      });
    }
  });

  router.post(
    '/clients/:clientId/secrets/:secretId/remove',
    signedIn,
    formBody,
    checkFormPost,
    (req, res) => {
      const { clientId, secretId } = req.params as { clientId: string; secretId: string };
      admin.removeSecret(portalOf(res).user.tenantId, clientId, Number(secretId));
      res.redirect(303, `${portalPath}/clients?type=hybrid&selected=${encodeURIComponent(clientId)}`);
    },
  );

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

function detailsOf(client: HybridClient, now: number) {
  return {
    ...client,
    secrets: client.secrets.map((secret) => ({
      id: secret.id,
      description: secret.description,
      expiration: secret.expiresAt === null ? 'Never' : new Date(secret.expiresAt).toISOString().slice(0, 10),
      expired: secret.expiresAt !== null && secret.expiresAt <= now,
    })),
  };
}
