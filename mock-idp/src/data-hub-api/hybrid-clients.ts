/**
 * The HybridClients API: `/api/v1/Tenants/{tenantId}/HybridClients[/{clientId}[/Secrets[/{secretId}]]]`, with
 * GET (HEAD too), POST, PUT and DELETE. Who may call what is the reference page's "Allowed for these roles":
 * reading clients is for Tenant Member (or the client itself), everything else for Tenant Administrator.
 */
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { IdpContext } from '../context.ts';
import { validSettings } from '../domain/client-administration.ts';
import type { HybridClient } from '../domain/model.ts';
import { tenantAdministrator, tenantMember } from '../domain/roles.ts';
import { type AllowedCallers, requireTenantAccess } from './authorization.ts';
import { invalidRequest } from './errors.ts';
import {
  hybridClientResource,
  parseClientCreation,
  parseClientUpdate,
  parseSecret,
  secretResource,
} from './resources.ts';

type Params = { tenantId: string; clientId: string; secretId: string };

const paging = z.object({
  skip: z.coerce.number().int().min(0).default(0),
  count: z.coerce.number().int().min(0).max(1000).default(100),
});

/** Query values as a list: `?id=a&id=b` (Express gives an array) or `?id=a` (a string). */
const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

function page<T>(req: Request, res: Response, items: T[]): T[] {
  const parsed = paging.safeParse(req.query);
  if (!parsed.success) throw invalidRequest('skip must be 0 or more, and count between 0 and 1000.');
  res.set('Total-Count', String(items.length));
  return items.slice(parsed.data.skip, parsed.data.skip + parsed.data.count);
}

/**
 * `id` (repeatable; blank ids ignored) picks clients, and then skip and count are ignored; `tag` keeps the
 * clients that have every tag named; `query` is documented as not supported, and is ignored.
 */
function listed(req: Request, res: Response, clients: HybridClient[]): HybridClient[] {
  const ids = new Set(
    listOf(req.query.id)
      .map((id) => id.trim().toLowerCase())
      .filter(Boolean),
  );
  const tags = listOf(req.query.tag);
  const matching = clients.filter(
    (client) =>
      (ids.size === 0 || ids.has(client.id.toLowerCase())) && tags.every((tag) => client.tags.includes(tag)),
  );
  if (ids.size === 0) return page(req, res, matching);
  res.set('Total-Count', String(matching.length));
  return matching;
}

function secretIdOf(req: Request<Params>): number {
  const id = Number(req.params.secretId);
  if (!Number.isInteger(id) || id < 1) throw invalidRequest('The secret id must be a whole number.');
  return id;
}

export function hybridClientsRouter(ctx: IdpContext): Router {
  const router = Router({ mergeParams: true });
  const admin = ctx.administration;
  const base = '/Tenants/:tenantId/HybridClients';
  const members: AllowedCallers = { roles: [tenantMember] };
  const membersOrSelf: AllowedCallers = { roles: [tenantMember], self: true };
  const administrators: AllowedCallers = { roles: [tenantAdministrator] };
  const json = express.json({ limit: '64kb', type: () => true });
  const allow = (callers: AllowedCallers) => requireTenantAccess(ctx, callers);

  router.get(base, allow(members), (req: Request<Params>, res) => {
    res.json(listed(req, res, admin.hybridClients(req.params.tenantId)).map(hybridClientResource));
  });

  router.post(base, allow(administrators), json, (req: Request<Params>, res) => {
    const { id, settings, secret } = parseClientCreation(req.body, ctx.clock.now());
    const created = admin.createHybridClient(req.params.tenantId, validSettings(settings), secret, id);
    const { Id, Description, Expiration } = secretResource(created.secret);
    res.status(201).json({
      Secret: created.secretValue,
      Id,
      Description,
      ExpirationDate: Expiration,
      Client: hybridClientResource(created.client),
    });
  });

  router.get(`${base}/:clientId`, allow(membersOrSelf), (req: Request<Params>, res) => {
    res.json(hybridClientResource(admin.hybridClient(req.params.tenantId, req.params.clientId)));
  });

  router.put(`${base}/:clientId`, allow(administrators), json, (req: Request<Params>, res) => {
    const updated = admin.updateHybridClient(
      req.params.tenantId,
      req.params.clientId,
      parseClientUpdate(req.body, req.params.clientId),
    );
    res.json(hybridClientResource(updated));
  });

  router.delete(`${base}/:clientId`, allow(administrators), (req: Request<Params>, res) => {
    admin.deleteHybridClient(req.params.tenantId, req.params.clientId);
    res.status(204).end();
  });

  router.get(`${base}/:clientId/Secrets`, allow(administrators), (req: Request<Params>, res) => {
    res.json(page(req, res, admin.secrets(req.params.tenantId, req.params.clientId)).map(secretResource));
  });

  router.post(`${base}/:clientId/Secrets`, allow(administrators), json, (req: Request<Params>, res) => {
    const { description, expiresAt } = parseSecret(req.body, ctx.clock.now(), 'create');
    const added = admin.addSecret(req.params.tenantId, req.params.clientId, {
      description: description ?? 'Secret',
      expiresAt,
    });
    res.status(201).json({ Secret: added.secretValue, ...secretResource(added.secret) });
  });

  router.get(`${base}/:clientId/Secrets/:secretId`, allow(administrators), (req: Request<Params>, res) => {
    res.json(secretResource(admin.secret(req.params.tenantId, req.params.clientId, secretIdOf(req))));
  });

  router.put(
    `${base}/:clientId/Secrets/:secretId`,
    allow(administrators),
    json,
    (req: Request<Params>, res) => {
      const updated = admin.updateSecret(
        req.params.tenantId,
        req.params.clientId,
        secretIdOf(req),
        parseSecret(req.body, ctx.clock.now(), 'update'),
      );
      res.json(secretResource(updated));
    },
  );

  router.delete(`${base}/:clientId/Secrets/:secretId`, allow(administrators), (req: Request<Params>, res) => {
    admin.removeSecret(req.params.tenantId, req.params.clientId, secretIdOf(req));
    res.status(204).end();
  });

  return router;
}
