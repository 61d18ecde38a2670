/**
 * The identity server's memory: tables held in maps, with every change reported so the state can be persisted.
 * Change a record by putting a new copy of it: the put is what tells the persister to write.
 */
import { isForgettable } from '../domain/client-propagation.ts';
import type { Client, Tenant, User } from '../domain/model.ts';
import type {
  AuthorizationCode,
  Grant,
  RefreshToken,
  RetiredClientId,
  SsoSession,
  StateSnapshot,
} from './records.ts';
import { currentGrant, stateVersion } from './records.ts';

/** The tables kept on disk. Authorization codes are not among them: see IdpStore.codes. */
export const tableNames = [
  'tenants',
  'users',
  'clients',
  'sessions',
  'grants',
  'refreshTokens',
  'retiredClientIds',
] as const;
export type TableName = (typeof tableNames)[number];
/** Client ids are GUIDs: 7E5D… and 7e5d… are one id. */
const guidKey = (id: string) => id.toLowerCase();

/** One row put (row set) or deleted (row null): what the journal writes and replays. */
export interface StateChange {
  table: TableName;
  key: string;
  row: unknown;
}

/** A change as it is made, with the row it replaced (null: none), so that a change never saved can be undone. */
export interface MadeChange extends StateChange {
  previous: unknown;
}

export class Table<V> {
  readonly #rows = new Map<string, V>();

  /** `sameKey` maps the spellings of one key to one (GUIDs: any case). */
  constructor(
    private readonly keyOf: (row: V) => string,
    private readonly changed: (key: string, row: V | null, previous: V | null) => void,
    rows: readonly V[] = [],
    private readonly sameKey: (key: string) => string = (key) => key,
  ) {
    for (const row of rows) this.#rows.set(sameKey(keyOf(row)), row);
  }

  /** Applies a saved change without reporting it (it is on disk already). */
  restore(key: string, row: V | null): void {
    if (row === null) this.#rows.delete(this.sameKey(key));
    else this.#rows.set(this.sameKey(key), row);
  }

  get(key: string): V | undefined {
    return this.#rows.get(this.sameKey(key));
  }

  put(row: V): V {
    const key = this.sameKey(this.keyOf(row));
    const previous = this.#rows.get(key) ?? null;
    this.#rows.set(key, row);
    this.changed(key, row, previous);
    return row;
  }

  delete(key: string): boolean {
    const normal = this.sameKey(key);
    const previous = this.#rows.get(normal);
    const deleted = this.#rows.delete(normal);
    if (deleted) this.changed(normal, null, previous ?? null);
    return deleted;
  }

  values(): V[] {
    return [...this.#rows.values()];
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Removes the rows the predicate picks. */
  deleteWhere(predicate: (row: V) => boolean): number {
    let deleted = 0;
    for (const [key, row] of this.#rows) {
      if (predicate(row)) {
        this.#rows.delete(key);
        this.changed(key, null, row);
        deleted += 1;
      }
    }
    return deleted;
  }
}

export class IdpStore {
  readonly tenants: Table<Tenant>;
  readonly users: Table<User>;
  readonly clients: Table<Client>;
  readonly sessions: Table<SsoSession>;
  /**
   * Held in memory only, as IdentityServer's in-memory grant store holds them: a code lives 300 s and is removed
   * at its redemption, so writing it to disk would cost every sign-in a disk flush to guard a few seconds. A crash
   * loses the codes not yet redeemed: those users sign in again, and no token is lost.
   */
  readonly codes: Table<AuthorizationCode>;
  readonly grants: Table<Grant>;
  readonly refreshTokens: Table<RefreshToken>;
  /** Ids of clients deleted and forgotten: never handed to another tenant, so no old grant can be claimed. */
  readonly retiredClientIds: Table<RetiredClientId>;

  #listener: ((change: MadeChange) => void) | null = null;

  constructor(snapshot: StateSnapshot) {
    const byId = (row: { id: string }) => row.id;
    const report =
      (table: TableName) =>
      (key: string, row: unknown, previous: unknown): void =>
        this.#listener?.({ table, key, row, previous });
    this.tenants = new Table(byId, report('tenants'), snapshot.tenants);
    this.users = new Table(byId, report('users'), snapshot.users);
    this.clients = new Table(byId, report('clients'), snapshot.clients, guidKey);
    this.sessions = new Table(byId, report('sessions'), snapshot.sessions);
    this.codes = new Table(
      (row) => row.codeHash,
      () => {},
    );
    this.grants = new Table(byId, report('grants'), snapshot.grants.map(currentGrant));
    this.refreshTokens = new Table((row) => row.tokenHash, report('refreshTokens'), snapshot.refreshTokens);
    this.retiredClientIds = new Table(
      byId,
      report('retiredClientIds'),
      snapshot.retiredClientIds ?? [],
      guidKey,
    );
  }

  /** Sends every later change to the listener (the persister); one listener at a time. */
  onChange(listener: (change: MadeChange) => void): void {
    this.#listener = listener;
  }

  /** Replays a change read back from the journal. */
  restore(change: StateChange): void {
    // Journals written before codes were kept in memory only carry them: they were never needed after a restart.
    if ((change.table as string) === 'codes') return;
    if (!tableNames.includes(change.table)) throw new Error(`unknown table ${String(change.table)}`);
    const row = change.table === 'grants' && change.row ? currentGrant(change.row as Grant) : change.row;
    (this[change.table] as Table<unknown>).restore(change.key, row);
  }

  /** Ends a refresh-token family: its refresh token no longer works. */
  endGrant(grantId: string): void {
    this.refreshTokens.deleteWhere((token) => token.grantId === grantId);
    this.grants.delete(grantId);
  }

  findUserByEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.values().find((user) => user.email.toLowerCase() === wanted);
  }

  /**
   * Forgets what can no longer be used, so the state does not grow without end. Redeemed codes and used refresh
   * tokens are deleted on use; expired ones here.
   */
  purgeExpired(now: number): void {
    const expired = (row: { expiresAt: number }) => row.expiresAt <= now;
    for (const client of this.clients.values().filter((client) => isForgettable(client, now))) {
      // Its grants can never be used again (the hour after deletion is over): they go with it.
      this.refreshTokens.deleteWhere((token) => token.clientId === client.id);
      this.grants.deleteWhere((grant) => grant.clientId === client.id);
      this.retiredClientIds.put({ id: client.id, tenantId: client.tenantId });
      this.clients.delete(client.id);
    }
    this.sessions.deleteWhere(expired);
    this.codes.deleteWhere(expired);
    this.refreshTokens.deleteWhere(expired);
    this.grants.deleteWhere((grant) => grant.refreshExpiresAt <= now);
  }

  snapshot(): StateSnapshot {
    return {
      version: stateVersion,
      tenants: this.tenants.values(),
      users: this.users.values(),
      clients: this.clients.values(),
      sessions: this.sessions.values(),
      grants: this.grants.values(),
      refreshTokens: this.refreshTokens.values(),
      retiredClientIds: this.retiredClientIds.values(),
    };
  }
}
