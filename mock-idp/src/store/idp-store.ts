/**
 * The identity server's memory: tables held in maps, with every change reported so the state can be persisted.
 * Change a record by putting a new copy of it: the put is what tells the persister to write.
 */
import { isForgettable } from '../domain/client-propagation.ts';
import type { Client, Tenant, User } from '../domain/model.ts';
import type {
  AuthorizationCode,
  Grant,
  Interaction,
  RefreshToken,
  RevokedAccessToken,
  SsoSession,
  StateSnapshot,
} from './records.ts';

const codeReplayMemoryMs = 60 * 60 * 1000;

export class Table<V> {
  readonly #rows = new Map<string, V>();

  constructor(
    private readonly keyOf: (row: V) => string,
    private readonly changed: () => void,
    rows: readonly V[] = [],
  ) {
    for (const row of rows) this.#rows.set(keyOf(row), row);
  }

  get(key: string): V | undefined {
    return this.#rows.get(key);
  }

  put(row: V): V {
    this.#rows.set(this.keyOf(row), row);
    this.changed();
    return row;
  }

  delete(key: string): boolean {
    const deleted = this.#rows.delete(key);
    if (deleted) this.changed();
    return deleted;
  }

  values(): V[] {
    return [...this.#rows.values()];
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Removes the rows the predicate picks; reports a change only when something went. */
  deleteWhere(predicate: (row: V) => boolean): number {
    let deleted = 0;
    for (const [key, row] of this.#rows) {
      if (predicate(row)) {
        this.#rows.delete(key);
        deleted += 1;
      }
    }
    if (deleted > 0) this.changed();
    return deleted;
  }
}

export class IdpStore {
  readonly tenants: Table<Tenant>;
  readonly users: Table<User>;
  readonly clients: Table<Client>;
  readonly sessions: Table<SsoSession>;
  readonly interactions: Table<Interaction>;
  readonly codes: Table<AuthorizationCode>;
  readonly grants: Table<Grant>;
  readonly refreshTokens: Table<RefreshToken>;
  readonly revokedAccessTokens: Table<RevokedAccessToken>;

  constructor(snapshot: StateSnapshot, changed: () => void = () => {}) {
    const byId = (row: { id: string }) => row.id;
    this.tenants = new Table(byId, changed, snapshot.tenants);
    this.users = new Table(byId, changed, snapshot.users);
    this.clients = new Table(byId, changed, snapshot.clients);
    this.sessions = new Table(byId, changed, snapshot.sessions);
    this.interactions = new Table(byId, changed, snapshot.interactions);
    this.codes = new Table((row) => row.codeHash, changed, snapshot.codes);
    this.grants = new Table(byId, changed, snapshot.grants);
    this.refreshTokens = new Table((row) => row.tokenHash, changed, snapshot.refreshTokens);
    this.revokedAccessTokens = new Table((row) => row.jti, changed, snapshot.revokedAccessTokens);
  }

  findUserByEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.values().find((user) => user.email.toLowerCase() === wanted);
  }

  /**
   * Forgets what can no longer be used, so the state does not grow without end. Codes are kept an hour past
   * their expiry, so that a late replay is still recognised (and revokes what the code issued).
   */
  purgeExpired(now: number): void {
    const expired = (row: { expiresAt: number }) => row.expiresAt <= now;
    this.clients.deleteWhere((client) => isForgettable(client, now));
    this.sessions.deleteWhere(expired);
    this.interactions.deleteWhere(expired);
    this.codes.deleteWhere((code) => code.expiresAt + codeReplayMemoryMs <= now);
    this.refreshTokens.deleteWhere(expired);
    this.revokedAccessTokens.deleteWhere(expired);
    this.grants.deleteWhere(
      (grant) =>
        (grant.refreshExpiresAt ?? 0) <= now && grant.accessTokens.every((token) => token.expiresAt <= now),
    );
  }

  snapshot(): StateSnapshot {
    return {
      version: 1,
      tenants: this.tenants.values(),
      users: this.users.values(),
      clients: this.clients.values(),
      sessions: this.sessions.values(),
      interactions: this.interactions.values(),
      codes: this.codes.values(),
      grants: this.grants.values(),
      refreshTokens: this.refreshTokens.values(),
      revokedAccessTokens: this.revokedAccessTokens.values(),
    };
  }
}
