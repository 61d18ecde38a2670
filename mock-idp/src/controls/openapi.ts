/**
 * The OpenAPI 3.1 document of the test control surface (GET /__mock__/openapi.json). Written as its own table, not
 * drawn from the router, so a spec can hold the two against each other.
 */
import { z } from 'zod';
import { hybridClientSettings } from '../domain/hybrid-client-rules.ts';
import { newUserSchema, rolesSchema } from '../domain/user-administration.ts';
import { scenarioNames } from '../scenarios/catalogue.ts';
import { scenarioRequestSchema } from '../scenarios/scenario-book.ts';

type Method = 'get' | 'post' | 'put' | 'delete';

interface Operation {
  summary: string;
  body?: Record<string, unknown>;
  query?: string[];
  /** Status codes it answers with, beside 400/403/404/415 for bad requests. */
  ok: number;
  errors?: number[];
}

const schema = (zodSchema: z.ZodType) => z.toJSONSchema(zodSchema, { io: 'input', unrepresentable: 'any' });
const empty = { type: 'object', additionalProperties: false };

export const controlOperations: Record<string, Partial<Record<Method, Operation>>> = {
  '/openapi.json': { get: { summary: 'This document.', ok: 200 } },
  '/clock': { get: { summary: "The mock's clock.", ok: 200 } },
  '/clock/advance': {
    post: {
      summary: 'Moves the clock forward (tokens, codes, sessions expire without waiting).',
      body: schema(z.object({ seconds: z.number().int().min(0) })),
      ok: 200,
    },
  },
  '/keys/rotate': {
    post: { summary: 'Signs with a new key from now on; the old ones stay published.', body: empty, ok: 200 },
  },
  '/memory': { get: { summary: "The process's memory and record counts (benchmarks).", ok: 200 } },
  '/scenarios/catalogue': {
    get: { summary: 'Every scenario: what it changes, what a correct app does, references.', ok: 200 },
  },
  '/scenarios': {
    get: { summary: 'The scenarios waiting, of one client or all.', query: ['clientId'], ok: 200 },
    post: {
      summary: `Sets a scenario for a client's next responses (with userId: only that user's). Names: ${scenarioNames.join(', ')}.`,
      body: schema(scenarioRequestSchema),
      ok: 201,
      errors: [409],
    },
    delete: { summary: 'Clears every scenario, or every one of a client.', query: ['clientId'], ok: 200 },
  },
  '/scenarios/{id}': { delete: { summary: 'Clears one scenario.', ok: 204 } },
  '/requests': {
    get: {
      summary: 'What the mock received and answered (no credentials), oldest first.',
      query: ['clientId', 'userId', 'endpoint', 'after'],
      ok: 200,
    },
    delete: { summary: 'Empties the request log.', ok: 204 },
  },
  '/users': {
    get: {
      summary: 'The user who signs in with this email (to learn its id, the sub).',
      query: ['email'],
      ok: 200,
    },
    post: {
      summary: 'Creates a user who can sign in at once.',
      body: schema(newUserSchema),
      ok: 201,
      errors: [409],
    },
  },
  '/users/{id}': {
    get: { summary: 'A user (never the password hash).', ok: 200 },
    delete: { summary: 'Removes a user with their sessions and grants.', ok: 204 },
  },
  '/users/{id}/roles': {
    put: {
      summary: "Replaces a user's roles: seen at the user's next sign-in (a refresh keeps the sign-in's).",
      body: schema(rolesSchema),
      ok: 200,
    },
  },
  '/users/{id}/revoke-grants': {
    post: {
      summary: "Ends the user's refresh-token families, of one client or all.",
      body: schema(z.strictObject({ clientId: z.string().optional() })),
      ok: 200,
    },
  },
  '/clients': {
    post: {
      summary:
        "Registers a hybrid client at once (the HybridClients API's rules); its secret is in the answer, once.",
      body: schema(hybridClientSettings.partial().extend({ tenantId: z.string().optional() })),
      ok: 201,
    },
  },
  '/clients/{id}': {
    get: { summary: "A hybrid client's lifecycle state: enabled, secrets and their expiry.", ok: 200 },
    delete: {
      summary:
        'Deletes the client as the API does: sign-ins and refreshes stop once the change delay is over (none by default).',
      ok: 204,
    },
  },
  '/clients/{id}/disable': { post: { summary: 'Disables the client at once.', body: empty, ok: 200 } },
  '/clients/{id}/enable': { post: { summary: 'Enables the client at once.', body: empty, ok: 200 } },
  '/clients/{id}/expire-secrets': {
    post: {
      summary: 'Expires one secret now, or all of them.',
      body: schema(z.strictObject({ secretId: z.number().int().min(1).optional() })),
      ok: 200,
    },
  },
  '/clients/{id}/secrets/{secretId}': { delete: { summary: 'Deletes a secret at once.', ok: 200 } },
};

const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error', 'error_description'],
};

export function openApiDocument(authority: string) {
  const paths = Object.fromEntries(
    Object.entries(controlOperations).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => [
          method,
          {
            summary: operation.summary,
            parameters: [
              ...[...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
                name,
                in: 'path',
                required: true,
                schema: { type: 'string' },
              })),
              ...(operation.query ?? []).map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
            ],
            ...(operation.body && {
              requestBody: { required: true, content: { 'application/json': { schema: operation.body } } },
            }),
            responses: {
              [operation.ok]: { description: 'done' },
              ...Object.fromEntries(
                [400, 403, 404, 415, ...(operation.errors ?? [])].map((status) => [
                  status,
                  { description: 'refused', content: { 'application/json': { schema: errorBody } } },
                ]),
              ),
            },
          },
        ]),
      ),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hybrid Client Kit mock identity server: test controls',
      version: '1',
      description:
        "Served only when the test controls are on, to the mock's own address only; POST and PUT take application/json.",
    },
    servers: [{ url: `${new URL(authority).origin}/__mock__` }],
    paths,
  };
}
