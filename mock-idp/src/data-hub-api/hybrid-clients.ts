/**
 * The HybridClients API: `/api/v1/Tenants/{tenantId}/HybridClients[/{clientId}[/Secrets[/{secretId}]]]`, with
 * GET (HEAD too, lists with Total-Count and skip/count paging), POST, PUT and DELETE, for a Tenant Administrator.
 */
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { IdpContext } from '../context.ts';
import { validSettings } from '../domain/client-administration.ts';
import { requireTenantAccess, tenantAdministrator } from './authorization.ts';
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

function page<T>(req: Request, res: Response, items: T[]): T[] {
  const parsed = paging.safeParse(req.query);
  if (!parsed.success) throw invalidRequest('skip must be 0 or more, and count between 0 and 1000.');
  res.set('Total-Count', String(items.length));
  return items.slice(parsed.data.skip, parsed.data.skip + parsed.data.count);
}

function secretIdOf(req: Request<Params>): number {
  const id = Number(req.params.secretId);
  if (!Number.isInteger(id) || id < 1) throw invalidRequest('The secret id must be a whole number.');
  return id;
}

export function hybridClientsRouter(ctx: IdpContext): Router {
  const router = Router({ mergeParams: true });
  const admin = ctx.administration;
  router.use(
    '/Tenants/:tenantId/HybridClients',
    requireTenantAccess(ctx, tenantAdministrator),
    express.json({ limit: '64kb', type: () => true }),
  );
  const base = '/Tenants/:tenantId/HybridClients';

  router.get(base, (req: Request<Params>, res) => {
    res.json(page(req, res, admin.hybridClients(req.params.tenantId)).map(hybridClientResource));
  });

  router.post(base, (req: Request<Params>, res) => {
    const { id, settings, secret } = parseClientCreation(req.body);
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

  router.get(`${base}/:clientId`, (req: Request<Params>, res) => {
    res.json(hybridClientResource(admin.hybridClient(req.params.tenantId, req.params.clientId)));
  });

  router.put(`${base}/:clientId`, (req: Request<Params>, res) => {
    const updated = admin.updateHybridClient(
      req.params.tenantId,
      req.params.clientId,
      parseClientUpdate(req.body),
    );
    res.json(hybridClientResource(updated));
  });

  router.delete(`${base}/:clientId`, (req: Request<Params>, res) => {
    admin.deleteHybridClient(req.params.tenantId, req.params.clientId);
    res.status(204).end();
  });

  router.get(`${base}/:clientId/Secrets`, (req: Request<Params>, res) => {
    res.json(page(req, res, admin.secrets(req.params.tenantId, req.params.clientId)).map(secretResource));
  });

  router.post(`${base}/:clientId/Secrets`, (req: Request<Params>, res) => {
    const { description, expiresAt } = parseSecret(req.body);
    const added = admin.addSecret(req.params.tenantId, req.params.clientId, {
      description: description ?? 'Secret',
      expiresAt,
    });
    res.status(201).json({ Secret: added.secretValue, ...secretResource(added.secret) });
  });

  router.get(`${base}/:clientId/Secrets/:secretId`, (req: Request<Params>, res) => {
    res.json(secretResource(admin.secret(req.params.tenantId, req.params.clientId, secretIdOf(req))));
  });

  router.put(`${base}/:clientId/Secrets/:secretId`, (req: Request<Params>, res) => {
    const updated = admin.updateSecret(
      req.params.tenantId,
      req.params.clientId,
      secretIdOf(req),
      parseSecret(req.body),
    );
    res.json(secretResource(updated));
  });

  router.delete(`${base}/:clientId/Secrets/:secretId`, (req: Request<Params>, res) => {
    admin.removeSecret(req.params.tenantId, req.params.clientId, secretIdOf(req));
    res.status(204).end();
  });

  return router;
}
