/**
 * What the domain rules need of storage, and no more: the store (store/idp-store.ts) provides it, and a test can
 * provide it with plain maps.
 */
import type { Client, Tenant, User } from './model.ts';

export interface Rows<V> {
  get(key: string): V | undefined;
  values(): V[];
}

export interface WritableRows<V> extends Rows<V> {
  put(row: V): V;
}

/** The tables client administration reads and writes. */
export interface ClientRepository {
  tenants: Rows<Tenant>;
  clients: WritableRows<Client>;
  /** Ids of clients deleted and forgotten, with the tenant each belonged to. */
  retiredClientIds: Rows<{ id: string; tenantId: string }>;
}

/** The tables user administration reads and writes: users, and what a user's sign-ins left behind. */
export interface UserRepository {
  tenants: Rows<Tenant>;
  users: WritableRows<User> & { delete(key: string): boolean };
  sessions: { deleteWhere(predicate: (session: { userId: string }) => boolean): number };
  grants: Rows<{ id: string; userId: string; clientId: string }>;
  findUserByEmail(email: string): User | undefined;
  /** Ends a refresh-token family: its refresh token no longer works. */
  endGrant(grantId: string): void;
}
