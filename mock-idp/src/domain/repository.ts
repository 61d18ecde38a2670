/**
 * What the domain rules need of storage, and no more: the store (store/idp-store.ts) provides it, and a test can
 * provide it with plain maps.
 */
import type { Client, Tenant } from './model.ts';

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
