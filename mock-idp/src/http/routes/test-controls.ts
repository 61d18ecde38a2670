/**
 * The test control surface, mounted only when enabled (MOCK_IDP_TEST_CONTROLS=true or the testControls option):
 * the clock, key rotation, the process's memory, and the test-control model (controls/test-controls.ts): scenarios,
 * users, client lifecycle, the request log. Its OpenAPI document is at /openapi.json.
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { z } from 'zod';
import type { IdpContext } from '../../context.ts';
import { openApiDocument } from '../../controls/openapi.ts';
import type { MockIdpControls } from '../../controls/test-controls.ts';
import { ControlError } from '../../plumbing/control-error.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { jsonErrors } from '../responses.ts';

const advanceBody = z.object({
  seconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600),
});
const revokeBody = z.strictObject({ clientId: z.string().max(200).optional() });
const rolesBody = z.strictObject({ roles: z.array(z.string().max(100)).max(10) });
const secretIdParam = z.coerce.number().int().min(1).max(1_000_000);

/**
 * Only the mock's own address, and only JSON: a web page can make a browser send a simple form POST anywhere (and,
 * through DNS rebinding, to a name that resolves here), but a JSON POST needs a CORS preflight, which this surface
 * never grants, and a request another page sends carries that page's Origin.
 */
function ownCallersOnly(authority: string): RequestHandler {
  const own = new URL(authority);
  return (req, _res, next) => {
    if (req.headers.host !== own.host) {
      throw new OAuthError('invalid_request', `test controls answer at ${own.host} only`, 403);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== own.origin) {
      throw new OAuthError('invalid_request', 'test controls refuse requests from other origins', 403);
    }
    if ((req.method === 'POST' || req.method === 'PUT') && !req.is('application/json')) {
      throw new OAuthError('invalid_request', 'test controls take application/json bodies only', 415);
    }
    next();
  };
}

export function testControlsRouter(ctx: IdpContext, controls: MockIdpControls): Router {
  const { keys, store, authority } = ctx;
  const router = Router();
  const json = express.json({ limit: '16kb' });
  router.use(ownCallersOnly(authority));

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(authority));
  });
  router.get('/clock', async (_req, res) => {
    res.json(await controls.clock.now());
  });
  router.post('/clock/advance', json, async (req, res) => {
    const parsed = advanceBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new OAuthError('invalid_request', 'seconds must be a whole number, 0 or more');
    res.json(await controls.clock.advance(parsed.data.seconds));
  });
  router.post('/keys/rotate', json, async (_req, res) => {
    const previousKid = keys.currentKid;
    res.json({ kid: await keys.rotate(), previousKid, published: keys.jwks.keys.map((key) => key.kid) });
  });
  router.get('/memory', (_req, res) => {
    // With node --expose-gc the figures leave out garbage, which is what a benchmark wants to compare.
    globalThis.gc?.();
    const records = Object.fromEntries(
      (['sessions', 'codes', 'grants', 'refreshTokens'] as const).map((table) => [table, store[table].size]),
    );
    res.json({ ...process.memoryUsage(), collected: typeof globalThis.gc === 'function', records });
  });

  // Scenarios.
  router.get('/scenarios/catalogue', async (_req, res) => {
    res.json({ scenarios: await controls.scenarios.catalogue() });
  });
  router.get('/scenarios', async (req, res) => {
    res.json({ scenarios: await controls.scenarios.list(queryText(req, 'clientId')) });
  });
  router.post('/scenarios', json, async (req, res) => {
    res.status(201).json(await controls.scenarios.set(req.body));
  });
  router.delete('/scenarios', async (req, res) => {
    res.json({ cleared: await controls.scenarios.clearAll(queryText(req, 'clientId')) });
  });
  router.delete('/scenarios/:id', async (req, res) => {
    if (!(await controls.scenarios.clear(req.params.id as string)))
      throw new ControlError(404, `no scenario ${req.params.id}`);
    res.status(204).end();
  });

  // The request log.
  router.get('/requests', async (req, res) => {
    const after = queryText(req, 'after');
    if (after !== undefined && !/^\d{1,15}$/.test(after))
      throw new ControlError(400, 'after must be a seq number');
    res.json({
      requests: await controls.requests.list({
        clientId: queryText(req, 'clientId'),
        userId: queryText(req, 'userId'),
        endpoint: queryText(req, 'endpoint'),
        after: after === undefined ? undefined : Number(after),
      }),
    });
  });
  router.delete('/requests', async (_req, res) => {
    await controls.requests.clear();
    res.status(204).end();
  });

  // Users.
  router.get('/users', async (req, res) => {
    const email = queryText(req, 'email');
    if (email === undefined)
      throw new ControlError(400, 'give the email of the user to find: /users?email=…');
    res.json(await controls.users.findByEmail(email));
  });
  router.post('/users', json, async (req, res) => {
    res.status(201).json(await controls.users.create(req.body));
  });
  router.get('/users/:id', async (req, res) => {
    res.json(await controls.users.get(req.params.id as string));
  });
  router.put('/users/:id/roles', json, async (req, res) => {
    const parsed = rolesBody.safeParse(req.body);
    if (!parsed.success) throw new ControlError(400, 'the body must be {"roles": [role names]}');
    res.json(await controls.users.setRoles(req.params.id as string, parsed.data.roles));
  });
  router.delete('/users/:id', async (req, res) => {
    await controls.users.delete(req.params.id as string);
    res.status(204).end();
  });
  router.post('/users/:id/revoke-grants', json, async (req, res) => {
    const parsed = revokeBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new ControlError(400, 'the body must be {} or {"clientId": "..."}');
    res.json({ revoked: await controls.users.revokeGrants(req.params.id as string, parsed.data.clientId) });
  });

  // Client lifecycle.
  router.post('/clients', json, async (req, res) => {
    res.status(201).json(await controls.clients.create(req.body));
  });
  router.get('/clients/:id', async (req, res) => {
    res.json(await controls.clients.get(req.params.id as string));
  });
  router.post('/clients/:id/disable', json, async (req, res) => {
    res.json(await controls.clients.disable(req.params.id as string));
  });
  router.post('/clients/:id/enable', json, async (req, res) => {
    res.json(await controls.clients.enable(req.params.id as string));
  });
  router.delete('/clients/:id', async (req, res) => {
    await controls.clients.delete(req.params.id as string);
    res.status(204).end();
  });
  router.post('/clients/:id/expire-secrets', json, async (req, res) => {
    const parsed = z.strictObject({ secretId: secretIdParam.optional() }).safeParse(req.body ?? {});
    if (!parsed.success) throw new ControlError(400, 'the body must be {} or {"secretId": 1}');
    res.json(await controls.clients.expireSecret(req.params.id as string, parsed.data.secretId));
  });
  router.delete('/clients/:id/secrets/:secretId', async (req, res) => {
    const secretId = secretIdParam.safeParse(req.params.secretId);
    if (!secretId.success) throw new ControlError(400, 'a secret id is a whole number');
    res.json(await controls.clients.deleteSecret(req.params.id as string, secretId.data));
  });

  router.use(controlErrors);
  router.use(jsonErrors);
  return router;
}

/** A query parameter given once, as text; anything else is a bad request. */
function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 200)
    throw new ControlError(400, `${name} must be given once`);
  return value;
}

function controlErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(
    error instanceof ControlError ? new OAuthError('invalid_request', error.message, error.status) : error,
  );
}
