/**
 * Security > Clients: the list with its Details pane, Add Client (with the Add Secret window in the Data Hub
 * edition), Edit Client, Delete, and the secrets of a client. Every change goes through the same administration
 * rules as the HybridClients API, is a POST answered with a redirect (a reload repeats nothing), and is confirmed
 * first when it removes something.
 */
import { type Request, type Response, Router } from 'express';
import type { IdpContext } from '../context.ts';
import type { PortalEdition } from '../domain/editions.ts';
import type { HybridClientSettings } from '../domain/hybrid-client-rules.ts';
import { ClientRuleError } from '../domain/hybrid-clients.ts';
import type { HybridClient } from '../domain/model.ts';
import { formBody } from '../http/form-body.ts';
import {
  type ClientForm,
  clientFormFrom,
  clientFormOf,
  defaultExpirationDate,
  emptyClientForm,
  type FieldErrors,
  pressFormButton,
  type SecretForm,
  secretFormFrom,
  secretRequestFrom,
} from './client-form.ts';
import { OneTimeReveals } from './one-time-reveals.ts';
import { changeDelayWording, type RenderPortalPage } from './page-helpers.ts';
import { checkFormPost, type PortalUser, portalPath } from './portal-session.ts';

/** The client types of the Client Type dropdown; the mock manages hybrid clients only. */
const clientTypes = [
  { value: 'hybrid', label: 'Hybrid', supported: true },
  { value: 'client-credentials', label: 'Client-credentials', supported: false },
  { value: 'authorization-code', label: 'Authorization code (PKCE)', supported: false },
];

/** What a redirect after a change may ask the list to say: fixed texts, never words from the address. */
const notices = new Map([
  ['saved', 'Changes saved.'],
  ['deleted', 'Client deleted.'],
  ['secret-removed', 'Secret removed.'],
]);

type Dialog = 'add-secret' | 'remove-secret' | 'delete-client';
const dialogs: readonly Dialog[] = ['add-secret', 'remove-secret', 'delete-client'];

/** The list's address, with the client selected and what the page should open or say. */
export function clientsUrl(query: {
  selected?: string;
  dialog?: Dialog;
  [name: string]: string | undefined;
}) {
  const params = new URLSearchParams({ type: 'hybrid' });
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  return `${portalPath}/clients?${params}`;
}

export function clientPages(ctx: IdpContext, edition: PortalEdition, render: RenderPortalPage): Router {
  const router = Router();
  const admin = ctx.administration;
  const reveals = new OneTimeReveals(() => ctx.clock.now());
  const userOf = (res: Response) => (res.locals.portal as PortalUser).user;
  /** Reveals belong to the portal session that created them (its form token is derived from the session). */
  const sessionOf = (res: Response) => (res.locals.portal as PortalUser).csrfToken;
  const now = () => ctx.clock.now();
  const changeDelay = changeDelayWording(admin.changeDelayMs);
  const newSecretForm = (): SecretForm => ({
    description: '',
    expiration: defaultExpirationDate(now()),
    neverExpires: false,
  });
  const statusFor = (errors: FieldErrors) => (Object.keys(errors).length > 0 ? 400 : 200);

  function renderClientForm(
    res: Response,
    form: ClientForm,
    target: { editing: HybridClient | null; step?: 'client' | 'secret' },
    errors: FieldErrors = {},
    secret: SecretForm = newSecretForm(),
  ): void {
    const { editing, step = 'client' } = target;
    render(
      res,
      'client-form',
      {
        title: editing ? 'Edit Client' : 'Add Client',
        editing: editing !== null,
        action: editing
          ? `${portalPath}/clients/${encodeURIComponent(editing.id)}/edit`
          : `${portalPath}/clients/new`,
        cancelUrl: clientsUrl({ selected: editing?.id }),
        step,
        form,
        errors,
        secret,
      },
      statusFor(errors),
    );
  }

  function renderClients(
    req: Request,
    res: Response,
    extra: { dialog?: Dialog; errors?: FieldErrors; secret?: SecretForm } = {},
  ): void {
    const { tenantId } = userOf(res);
    const type = clientTypes.find((candidate) => candidate.value === req.query.type) ?? clientTypes[0];
    const clients = type?.supported ? admin.hybridClients(tenantId) : [];
    const selectedId = typeof req.query.selected === 'string' ? req.query.selected : req.params.clientId;
    const selected = clients.find((client) => client.id === selectedId) ?? null;
    const asked = dialogs.find((dialog) => dialog === req.query.dialog);
    const dialog = extra.dialog ?? (selected ? asked : undefined) ?? null;
    const secretToRemove =
      dialog === 'remove-secret'
        ? (selected?.secrets.find((secret) => String(secret.id) === req.query.secret) ?? null)
        : null;
    const errors = extra.errors ?? {};
    render(
      res,
      'clients',
      {
        clientTypes,
        type,
        clients,
        selected: selected && detailsOf(selected, now()),
        dialog: dialog === 'remove-secret' && !secretToRemove ? null : dialog,
        secretToRemove,
        reveal: reveals.take(sessionOf(res), req.query.reveal),
        notice: notices.get(String(req.query.notice)) ?? null,
        changeDelay,
        clientsUrl,
        errors,
        secret: extra.secret ?? newSecretForm(),
      },
      statusFor(errors),
    );
  }

  router.get('/', (req, res) => renderClients(req, res));

  router.get('/new', (_req, res) => renderClientForm(res, emptyClientForm(), { editing: null }));

  /** The OCS edition: Add creates the client and shows its id; secrets are added from its Details pane. */
  function createThenShowId(res: Response, settings: HybridClientSettings): void {
    const client = admin.createHybridClientWithoutSecret(userOf(res).tenantId, settings);
    const reveal = reveals.put(sessionOf(res), {
      kind: 'client-created',
      clientId: client.id,
      secretValue: null,
    });
    res.redirect(303, clientsUrl({ selected: client.id, reveal }));
  }

  /**
   * The Data Hub edition: Add on the client form opens the Add Secret window; Add in that window creates the client
   * with its first secret, shown once.
   */
  function createWithFirstSecret(
    res: Response,
    body: Record<string, unknown>,
    action: string,
    form: ClientForm,
    settings: HybridClientSettings,
  ): void {
    if (action !== 'add-secret') {
      renderClientForm(res, form, { editing: null, step: 'secret' });
      return;
    }
    const secretForm = secretFormFrom(body, now());
    const secret = secretRequestFrom(secretForm, now());
    if ('errors' in secret) {
      renderClientForm(res, form, { editing: null, step: 'secret' }, secret.errors, secretForm);
      return;
    }
    const created = admin.createHybridClient(userOf(res).tenantId, settings, secret.request);
    const reveal = reveals.put(sessionOf(res), {
      kind: 'client-created',
      clientId: created.client.id,
      secretValue: created.secretValue,
    });
    res.redirect(303, clientsUrl({ selected: created.client.id, reveal }));
  }

  router.post('/new', formBody, checkFormPost, (req, res) => {
    const body = req.body as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : 'add';
    const outcome = pressFormButton(clientFormFrom(body), action);
    if (!outcome.submitted) return renderClientForm(res, outcome.form, { editing: null }, outcome.errors);
    if (edition.secretAtCreation) createWithFirstSecret(res, body, action, outcome.form, outcome.settings);
    else createThenShowId(res, outcome.settings);
  });

  router.get('/:clientId/edit', (req, res) => {
    const client = admin.hybridClient(userOf(res).tenantId, String(req.params.clientId));
    renderClientForm(res, clientFormOf(client), { editing: client });
  });

  router.post('/:clientId/edit', formBody, checkFormPost, (req, res) => {
    const { tenantId } = userOf(res);
    const client = admin.hybridClient(tenantId, String(req.params.clientId));
    const body = req.body as Record<string, unknown>;
    const outcome = pressFormButton(
      clientFormFrom(body),
      typeof body.action === 'string' ? body.action : 'save',
    );
    if (!outcome.submitted) return renderClientForm(res, outcome.form, { editing: client }, outcome.errors);
    admin.updateHybridClient(tenantId, client.id, outcome.settings);
    res.redirect(303, clientsUrl({ selected: client.id, notice: 'saved' }));
  });

  router.post('/:clientId/delete', formBody, checkFormPost, (req, res) => {
    admin.deleteHybridClient(userOf(res).tenantId, String(req.params.clientId));
    res.redirect(303, clientsUrl({ notice: 'deleted' }));
  });

  router.post('/:clientId/secrets', formBody, checkFormPost, (req, res) => {
    const user = userOf(res);
    const clientId = String(req.params.clientId);
    const secretForm = secretFormFrom(req.body as Record<string, unknown>, now());
    const secret = secretRequestFrom(secretForm, now());
    const reopen = (errors: FieldErrors) =>
      renderClients(req, res, { dialog: 'add-secret', errors, secret: secretForm });
    if ('errors' in secret) return reopen(secret.errors);
    try {
      const added = admin.addSecret(user.tenantId, clientId, secret.request);
      const reveal = reveals.put(sessionOf(res), {
        kind: 'secret-created',
        clientId,
        secretValue: added.secretValue,
      });
      res.redirect(303, clientsUrl({ selected: clientId, reveal }));
    } catch (error) {
      if (!(error instanceof ClientRuleError)) throw error;
      reopen({ secretDescription: error.message });
    }
  });

  router.post('/:clientId/secrets/:secretId/remove', formBody, checkFormPost, (req, res) => {
    const clientId = String(req.params.clientId);
    admin.removeSecret(userOf(res).tenantId, clientId, Number(req.params.secretId));
    res.redirect(303, clientsUrl({ selected: clientId, notice: 'secret-removed' }));
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
