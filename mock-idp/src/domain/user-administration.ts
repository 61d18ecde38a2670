/**
 * Users changed at runtime, as a test needs them: created with any email, password, tenant, roles and extra
 * claims; their roles changed; deleted; their grants revoked. Each change is applied at once and saved like any
 * other (the state journal), so what a test was told happened survives a restart.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ControlError } from '../plumbing/control-error.ts';
import { hashPassword } from '../plumbing/passwords.ts';
import type { User } from './model.ts';
import type { UserRepository } from './repository.ts';
import { type TenantRoleName, tenantRoleNames } from './roles.ts';

/** Claims the identity server sets itself: extra claims may not replace them. */
export const reservedClaims = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'nonce',
  'c_hash',
  'at_hash',
  's_hash',
  'auth_time',
  'sid',
  'tid',
  'idp',
  'amr',
  'acr',
  'azp',
  'client_id',
  'scope',
  'role_type',
  'name',
  'given_name',
  'family_name',
  'email',
  'email_verified',
]);

const roles = z
  .array(z.enum(tenantRoleNames, { error: `a role is one of: ${tenantRoleNames.join(', ')}` }))
  .max(10);

export const newUserSchema = z.strictObject({
  email: z.email().max(256),
  password: z.string().min(8).max(1024),
  name: z.string().trim().min(1).max(200),
  givenName: z.string().max(200).default(''),
  familyName: z.string().max(200).default(''),
  /** Default: the only tenant, when there is one. */
  tenantId: z.string().max(100).optional(),
  roles: roles.default(['Tenant Member']),
  /** More claims for the user's id_tokens and UserInfo (JSON values), never one the server sets itself. */
  claims: z
    .record(z.string().min(1).max(100), z.json())
    .refine((claims) => Object.keys(claims).length <= 50, 'at most 50 claims')
    .refine((claims) => Object.keys(claims).every((name) => !reservedClaims.has(name)), {
      message: `a claim the identity server sets itself cannot be given: ${[...reservedClaims].join(', ')}`,
    })
    .optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

export const rolesSchema = z.strictObject({ roles });

/** A user as the test controls show one: never the password hash. */
export type UserView = Omit<User, 'passwordHash'>;
export const userView = ({ passwordHash: _hidden, ...user }: User): UserView => user;

export class UserAdministration {
  constructor(private readonly store: UserRepository) {}

  create(input: unknown): UserView {
    const fields = parse(newUserSchema, input);
    const tenantId = fields.tenantId ?? onlyTenant(this.store.tenants.values());
    if (!this.store.tenants.get(tenantId)) throw new ControlError(404, `no tenant ${tenantId}`);
    if (this.store.findUserByEmail(fields.email)) {
      throw new ControlError(409, `a user with the email ${fields.email} exists already`);
    }
    const { password, claims, ...rest } = fields;
    const user = this.store.users.put({
      ...rest,
      id: randomUUID(),
      tenantId,
      roles: rest.roles as TenantRoleName[],
      passwordHash: hashPassword(password),
      ...(claims && { claims: claims as Record<string, unknown> }),
    });
    return userView(user);
  }

  get(userId: string): UserView {
    return userView(this.#user(userId));
  }

  /** The user who signs in with this email (any case). */
  findByEmail(email: string): UserView {
    const user = this.store.findUserByEmail(email);
    if (!user) throw new ControlError(404, `no user with the email ${email}`);
    return userView(user);
  }

  setRoles(userId: string, input: unknown): UserView {
    const { roles: names } = parse(rolesSchema, input);
    return userView(this.store.users.put({ ...this.#user(userId), roles: names as TenantRoleName[] }));
  }

  /** Removes the user, their sessions and their grants: nothing they were given can be used again. */
  delete(userId: string): void {
    this.#user(userId);
    this.revokeGrants(userId);
    this.store.sessions.deleteWhere((session) => session.userId === userId);
    this.store.users.delete(userId);
  }

  /** Ends the user's refresh-token families (of one client, or all); how many. Access tokens live on. */
  revokeGrants(userId: string, clientId?: string): number {
    this.#user(userId);
    const grants = this.store.grants
      .values()
      .filter(
        (grant) =>
          grant.userId === userId &&
          (clientId === undefined || grant.clientId.toLowerCase() === clientId.toLowerCase()),
      );
    for (const grant of grants) this.store.endGrant(grant.id);
    return grants.length;
  }

  #user(userId: string): User {
    const user = this.store.users.get(userId);
    if (!user) throw new ControlError(404, `no user ${userId}`);
    return user;
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ControlError(400, `${issue?.path.join('.') || 'the body'}: ${issue?.message}`);
}

/** The tenant a test means when it names none: the only one there is. */
export function onlyTenant(tenants: readonly { id: string }[]): string {
  const [only, ...others] = tenants;
  if (!only || others.length > 0)
    throw new ControlError(400, 'tenantId: this mock has several tenants: name one');
  return only.id;
}
