/**
 * The JSON shapes of the HybridClients API (PascalCase, as Data Hub has them) and their mapping to the client
 * model. Request bodies are checked for type here; the documented limits are checked by the client model.
 */
import { z } from 'zod';
import type { HybridClientPatch, SecretPatch } from '../domain/client-administration.ts';
import type { SecretRequest } from '../domain/hybrid-clients.ts';
import type { ClientSecret, HybridClient } from '../domain/model.ts';
import { invalidRequest } from './errors.ts';

const isoDate = (value: number | null) => (value === null ? null : new Date(value).toISOString());

export const hybridClientResource = (client: HybridClient) => ({
  Id: client.id,
  Name: client.name,
  Enabled: client.enabled,
  RedirectUris: client.redirectUris,
  PostLogoutRedirectUris: client.postLogoutRedirectUris,
  ClientUri: client.clientUri,
  LogoUri: client.logoUri,
  AccessTokenLifetime: client.accessTokenLifetime,
  AllowOfflineAccess: client.allowOfflineAccess,
  AllowAccessTokensViaBrowser: client.allowAccessTokensViaBrowser,
  Tags: client.tags,
});

export const secretResource = (secret: ClientSecret) => ({
  Id: secret.id,
  Expiration: isoDate(secret.expiresAt),
  Expires: secret.expiresAt !== null,
  Description: secret.description,
});

/** PUT: absent or null leaves a property as it is. */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const date = z.iso.datetime({ offset: true }).or(z.iso.date());

const clientFields = {
  Name: maybe(z.string()),
  Enabled: maybe(z.boolean()),
  RedirectUris: maybe(z.array(z.string())),
  PostLogoutRedirectUris: maybe(z.array(z.string())),
  ClientUri: maybe(z.string()),
  LogoUri: maybe(z.string()),
  AccessTokenLifetime: maybe(z.number()),
  AllowOfflineAccess: maybe(z.boolean()),
  AllowAccessTokensViaBrowser: maybe(z.boolean()),
  Tags: maybe(z.array(z.string())),
};

const updateBody = z.object({ ...clientFields, Id: maybe(z.string()) });
const createBody = z.object({
  ...clientFields,
  Id: maybe(z.guid('must be a GUID')),
  SecretDescription: maybe(z.string().max(200)),
  /** null: never expires; absent: one year. */
  SecretExpirationDate: date.nullable().optional(),
});
const secretBody = z.object({
  Description: maybe(z.string().max(200)),
  Expiration: date.nullable().optional(),
  Expires: maybe(z.boolean()),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw invalidRequest(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
  );
}

function clientPatch(body: z.output<typeof updateBody>): HybridClientPatch {
  return {
    name: body.Name,
    enabled: body.Enabled,
    redirectUris: body.RedirectUris,
    postLogoutRedirectUris: body.PostLogoutRedirectUris,
    clientUri: body.ClientUri,
    logoUri: body.LogoUri,
    accessTokenLifetime: body.AccessTokenLifetime,
    allowOfflineAccess: body.AllowOfflineAccess,
    allowAccessTokensViaBrowser: body.AllowAccessTokensViaBrowser,
    tags: body.Tags,
  };
}

/**
 * PUT changes what it is given, but never the id: an Id in the body that is not the client's (as a GUID) is an
 * invalid input (400), the answer the reference documents for PUT.
 */
export function parseClientUpdate(body: unknown, clientId: string): HybridClientPatch {
  const parsed = parse(updateBody, body);
  if (parsed.Id !== undefined && parsed.Id.toLowerCase() !== clientId.toLowerCase()) {
    throw invalidRequest(
      `Id: the body names client ${parsed.Id}, the path ${clientId}; a client's id cannot change`,
    );
  }
  return clientPatch(parsed);
}

export function parseClientCreation(
  body: unknown,
  now: number,
): {
  id: string | undefined;
  settings: HybridClientPatch;
  secret: SecretRequest;
} {
  const parsed = parse(createBody, body);
  const expiration = parsed.SecretExpirationDate;
  return {
    id: parsed.Id,
    settings: clientPatch(parsed),
    secret: {
      description: parsed.SecretDescription ?? 'Default secret',
      expiresAt:
        expiration === undefined ? undefined : expiration === null ? null : futureDate(expiration, now),
    },
  };
}

/** An expiration date must lie ahead: a secret that is already expired could never authenticate. */
function futureDate(value: string, now: number): number {
  const time = Date.parse(value);
  if (time <= now) throw invalidRequest(`The expiration date ${value} is in the past.`);
  return time;
}

/**
 * The secrets reference page's rule for Expires and Expiration: Expires defaults to true; true (or null) with no
 * Expiration is a 400, false with an Expiration is a 400, false with none never expires. On a PUT, properties that
 * are absent or null stay as they are, so only an explicit `Expires: true` without an Expiration is refused.
 */
export function parseSecret(body: unknown, now: number, mode: 'create' | 'update'): SecretPatch {
  const parsed = parse(secretBody, body);
  const { Expires: expires, Expiration: expiration } = parsed;
  if (expires === false && expiration) throw invalidRequest('Expires is false, but an Expiration is given.');
  const expiresByDefault = mode === 'create' && expires === undefined;
  if ((expires === true || expiresByDefault) && !expiration) {
    throw invalidRequest('The secret expires (Expires is true, its default), but no Expiration is given.');
  }
  const expiresAt = expiration ? futureDate(expiration, now) : expires === false ? null : undefined;
  return { description: parsed.Description, expiresAt };
}
