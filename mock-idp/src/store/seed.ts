/**
 * The seed file declares what a fresh identity server starts with: tenants, users, an administration
 * (client-credentials) client and hybrid clients. Secrets and passwords appear in clear in the seed, because
 * the sample app and the tests need to know them; the state keeps only their hashes.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { hybridClientSettings, lifetimeSchema, maxSecretsPerClient } from '../domain/hybrid-client-rules.ts';
import { addSecret } from '../domain/hybrid-clients.ts';
import type { Client } from '../domain/model.ts';
import { tenantRoleNames } from '../domain/roles.ts';
import { hashPassword } from '../plumbing/passwords.ts';
import { emptyState, type StateSnapshot } from './records.ts';

const guid = z.guid();
/** Roles by name, as the portal shows them; an unknown name is a mistake in the seed, not a new role. */
const roles = z
  .array(z.enum(tenantRoleNames, { error: `must be one of: ${tenantRoleNames.join(', ')}` }))
  .default([]);

const seedSecret = z.object({
  description: z.string().min(1),
  value: z.string().min(16, 'seeded secrets must be at least 16 characters'),
  /** ISO date; null means never expires; absent means the documented default of one year. */
  expiration: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .transform((value) => (typeof value === 'string' ? Date.parse(value) : value)),
});

const seedSecrets = z.array(seedSecret).min(1).max(maxSecretsPerClient);

export const seedSchema = z.object({
  tenants: z.array(z.object({ id: guid, name: z.string().min(1) })).min(1),
  users: z.array(
    z
      .object({
        id: guid,
        tenantId: guid,
        email: z.email(),
        password: z.string().min(8).optional(),
        /** A hash made by the mock (scrypt$N$salt$hash), so the seed need not hold the password in clear. */
        passwordHash: z
          .string()
          .regex(/^scrypt\$\d+\$[\w-]+\$[\w-]+$/, 'must be a scrypt$N$salt$hash value')
          .optional(),
        name: z.string().min(1),
        givenName: z.string().default(''),
        familyName: z.string().default(''),
        roles,
      })
      .refine((user) => (user.password === undefined) !== (user.passwordHash === undefined), {
        message: 'give either password or passwordHash',
      }),
  ),
  clientCredentialsClients: z.array(
    z.object({
      id: guid,
      tenantId: guid,
      name: z.string().min(1),
      roles,
      accessTokenLifetime: lifetimeSchema.default(3600),
      secrets: seedSecrets,
    }),
  ),
  hybridClients: z.array(hybridClientSettings.extend({ id: guid, tenantId: guid, secrets: seedSecrets })),
});
/** A seed file as written (optional fields may be left out). */
export type SeedFile = z.input<typeof seedSchema>;
export type Seed = z.output<typeof seedSchema>;

export async function readSeedFile(path: string): Promise<Seed> {
  const parsed = seedSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`invalid seed file ${path}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type SeedSecret = z.infer<typeof seedSecret>;

function withSeededSecrets<T extends Client>(client: T, secrets: SeedSecret[], now: number): T {
  return secrets.reduce(
    (current, { description, value, expiration }) =>
      addSecret(current, { description, value, expiresAt: expiration }, now).client,
    client,
  );
}

export function stateFromSeed(seed: Seed, now: number): StateSnapshot {
  const tenantIds = new Set(seed.tenants.map((tenant) => tenant.id));
  const owners = [...seed.users, ...seed.clientCredentialsClients, ...seed.hybridClients];
  const orphan = owners.find((owner) => !tenantIds.has(owner.tenantId));
  if (orphan)
    throw new Error(
      `seed: ${orphan.id} belongs to tenant ${orphan.tenantId}, which the seed does not declare`,
    );

  const clients: Client[] = [
    ...seed.clientCredentialsClients.map(({ secrets, ...client }) =>
      withSeededSecrets<Client>(
        { ...client, kind: 'client-credentials', enabled: true, secrets: [], createdAt: now },
        secrets,
        now,
      ),
    ),
    ...seed.hybridClients.map(({ secrets, ...client }) =>
      withSeededSecrets<Client>({ ...client, kind: 'hybrid', secrets: [], createdAt: now }, secrets, now),
    ),
  ];
  return {
    ...emptyState(),
    tenants: seed.tenants,
    users: seed.users.map(({ password, passwordHash, ...user }) => ({
      ...user,
      passwordHash: passwordHash ?? hashPassword(password as string),
    })),
    clients,
  };
}
