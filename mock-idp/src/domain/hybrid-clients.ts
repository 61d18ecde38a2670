/**
 * Creating hybrid clients and managing their secrets, with the Data Hub rules: at most ten secrets, a secret
 * value returned once (only its hash is kept), the default expiry of one year, or never.
 */
import { randomUUID } from 'node:crypto';
import { newSecret } from './client-secrets.ts';
import {
  defaultSecretExpiry,
  type HybridClientSettings,
  maxSecretsPerClient,
} from './hybrid-client-rules.ts';
import type { Client, ClientSecret, HybridClient } from './model.ts';

/** A documented rule was broken; `problems` names the field of each (null: the client as a whole). */
export class ClientRuleError extends Error {
  readonly problems: { field: string | null; message: string }[];

  constructor(problems: string | { field: string | null; message: string }[]) {
    const list = typeof problems === 'string' ? [{ field: null, message: problems }] : problems;
    super(
      list
        .map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message))
        .join('; '),
    );
    this.problems = list;
  }
}

export interface SecretRequest {
  description: string;
  /** undefined: the default (one year from now); null: never expires. */
  expiresAt?: number | null;
  /** Only seeds choose their secret values; everyone else gets a generated one. */
  value?: string;
}

export interface WithSecretValue<T> {
  client: T;
  /** Shown once: it cannot be read back later. */
  secretValue: string;
  /** The secret as stored: its id, description and expiry (its value is only in secretValue). */
  secret: ClientSecret;
}

/** A hybrid client with no secret yet. */
export function newHybridClient(
  settings: HybridClientSettings,
  tenantId: string,
  now: number,
  id: string = randomUUID(),
): HybridClient {
  return { ...settings, kind: 'hybrid', id, tenantId, secrets: [], createdAt: now };
}

export function createHybridClient(
  settings: HybridClientSettings,
  tenantId: string,
  secret: SecretRequest,
  now: number,
  id?: string,
): WithSecretValue<HybridClient> {
  return addSecret(newHybridClient(settings, tenantId, now, id), secret, now);
}

export function addSecret<T extends Client>(
  client: T,
  request: SecretRequest,
  now: number,
): WithSecretValue<T> {
  if (client.secrets.length >= maxSecretsPerClient) {
    throw new ClientRuleError(`a client can have at most ${maxSecretsPerClient} secrets: delete one first`);
  }
  const expiresAt = request.expiresAt === undefined ? defaultSecretExpiry(now) : request.expiresAt;
  const { secret, value } = newSecret(
    client,
    { description: request.description, expiresAt, value: request.value },
    now,
  );
  return {
    client: { ...client, secrets: [...client.secrets, secret] },
    secretValue: value,
    secret,
  };
}

export function removeSecret<T extends Client>(client: T, secretId: number): T {
  if (!client.secrets.some((secret) => secret.id === secretId)) {
    throw new ClientRuleError(`client ${client.id} has no secret ${secretId}`);
  }
  return { ...client, secrets: client.secrets.filter((secret) => secret.id !== secretId) };
}
