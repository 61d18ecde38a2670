/**
 * Client secrets: generated with 256 bits of entropy, stored as a SHA-256 hash (a slow hash adds nothing for
 * random values of this size), compared in constant time, and useless once expired or deleted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEquals } from '../plumbing/constant-time.ts';
import type { Client, ClientSecret } from './model.ts';

export const generateSecretValue = (): string => randomBytes(32).toString('base64url');

export const hashSecret = (value: string): string =>
  createHash('sha256').update(value, 'utf8').digest('base64url');

export const isSecretExpired = (secret: ClientSecret, now: number): boolean =>
  secret.expiresAt !== null && secret.expiresAt <= now;

/** True when the presented value matches any secret of the client that has not expired (rotation keeps several). */
export function clientSecretMatches(client: Client, presented: string, now: number): boolean {
  const presentedHash = hashSecret(presented);
  let matched = false;
  for (const secret of client.secrets) {
    // No early exit: every secret is compared, so timing does not tell which one matched.
    if (constantTimeEquals(secret.hash, presentedHash) && !isSecretExpired(secret, now)) matched = true;
  }
  return matched;
}

export function newSecret(
  client: Pick<Client, 'secrets'>,
  fields: { description: string; expiresAt: number | null; value?: string },
  now: number,
): { secret: ClientSecret; value: string } {
  const value = fields.value ?? generateSecretValue();
  const id = Math.max(0, ...client.secrets.map((s) => s.id)) + 1;
  return {
    value,
    secret: {
      id,
      description: fields.description,
      expiresAt: fields.expiresAt,
      hash: hashSecret(value),
      createdAt: now,
    },
  };
}
