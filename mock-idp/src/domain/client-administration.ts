/**
 * Managing a tenant's hybrid clients and their secrets: the one door the administration API and the portal both
 * go through. It enforces the Data Hub rules (hybrid-client-rules.ts) and applies the propagation delay.
 */
import type { Clock } from '../clock.ts';
import { changedVersion } from './client-propagation.ts';
import {
  type HybridClientSettings,
  hybridClientSettings,
  maxClientsPerTenant,
} from './hybrid-client-rules.ts';
import {
  addSecret,
  ClientRuleError,
  createHybridClient,
  newHybridClient,
  removeSecret,
  type SecretRequest,
  type WithSecretValue,
} from './hybrid-clients.ts';
import type { ClientSecret, HybridClient } from './model.ts';
import type { ClientRepository } from './repository.ts';

export class NotFound extends Error {
  constructor(
    readonly what: 'tenant' | 'client' | 'secret',
    readonly id: string,
  ) {
    super(`no ${what} ${id}`);
  }
}

export class Conflict extends Error {}

/** PUT semantics: what is absent is left as it is. */
export type HybridClientPatch = Partial<HybridClientSettings>;
export type SecretPatch = { description?: string; expiresAt?: number | null };

export function validSettings(input: unknown): HybridClientSettings {
  const parsed = hybridClientSettings.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ClientRuleError(
    parsed.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? '') || null,
      message: issue.message,
    })),
  );
}

export class ClientAdministration {
  constructor(
    private readonly store: ClientRepository,
    private readonly clock: Clock,
    /** How long a change takes to reach sign-in and token issuance (client-propagation.ts). */
    readonly changeDelayMs: number,
  ) {}

  hybridClients(tenantId: string): HybridClient[] {
    this.#tenant(tenantId);
    return this.store.clients
      .values()
      .filter((client): client is HybridClient => this.#isListed(client, tenantId))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  hybridClient(tenantId: string, clientId: string): HybridClient {
    this.#tenant(tenantId);
    const client = this.store.clients.get(clientId);
    if (!client || !this.#isListed(client, tenantId)) throw new NotFound('client', clientId);
    return client as HybridClient;
  }

  createHybridClient(
    tenantId: string,
    settings: HybridClientSettings,
    secret: SecretRequest,
    id?: string,
  ): WithSecretValue<HybridClient> {
    this.#checkRoomFor(tenantId, id);
    const created = createHybridClient(settings, tenantId, secret, this.clock.now(), id?.toLowerCase());
    return { ...created, client: this.#save(undefined, created.client) };
  }

  /**
   * The OCS edition's procedure: Add creates the client and shows its Id only; secrets are added afterwards (it
   * cannot redeem codes until it has one).
   */
  createHybridClientWithoutSecret(tenantId: string, settings: HybridClientSettings): HybridClient {
    this.#checkRoomFor(tenantId);
    return this.#save(undefined, newHybridClient(settings, tenantId, this.clock.now()));
  }

  updateHybridClient(tenantId: string, clientId: string, patch: HybridClientPatch): HybridClient {
    const current = this.hybridClient(tenantId, clientId);
    const settings = validSettings({ ...settingsOf(current), ...withoutUndefined(patch) });
    return this.#save(current, { ...current, ...settings });
  }

  deleteHybridClient(tenantId: string, clientId: string): void {
    const current = this.hybridClient(tenantId, clientId);
    this.#save(current, { ...current, deletedAt: this.clock.now() });
  }

  secrets(tenantId: string, clientId: string): ClientSecret[] {
    return this.hybridClient(tenantId, clientId).secrets;
  }

  secret(tenantId: string, clientId: string, secretId: number): ClientSecret {
    const found = this.secrets(tenantId, clientId).find((secret) => secret.id === secretId);
    if (!found) throw new NotFound('secret', String(secretId));
    return found;
  }

  addSecret(tenantId: string, clientId: string, request: SecretRequest): WithSecretValue<HybridClient> {
    const current = this.hybridClient(tenantId, clientId);
    const added = addSecret(current, request, this.clock.now());
    return { ...added, client: this.#save(current, added.client) };
  }

  updateSecret(tenantId: string, clientId: string, secretId: number, patch: SecretPatch): ClientSecret {
    const current = this.hybridClient(tenantId, clientId);
    const secret = this.secret(tenantId, clientId, secretId);
    const updated = { ...secret, ...withoutUndefined(patch) };
    this.#save(current, {
      ...current,
      secrets: current.secrets.map((s) => (s.id === secretId ? updated : s)),
    });
    return updated;
  }

  removeSecret(tenantId: string, clientId: string, secretId: number): void {
    this.secret(tenantId, clientId, secretId);
    const current = this.hybridClient(tenantId, clientId);
    this.#save(current, removeSecret(current, secretId));
  }

  #checkRoomFor(tenantId: string, id?: string): void {
    this.#tenant(tenantId);
    // One answer whether the id is taken here, elsewhere, or was another tenant's: ids of other tenants stay
    // theirs, and are not revealed.
    if (id && !this.#mayTakeId(id, tenantId)) {
      throw new Conflict('This client id cannot be used: choose another GUID, or leave Id out to get one.');
    }
    if (this.#clientCount(tenantId) >= maxClientsPerTenant) {
      throw new ClientRuleError(`a tenant can have at most ${maxClientsPerTenant} clients: delete one first`);
    }
  }

  /** A free id, or one this tenant used before (a client deleted and forgotten): never another tenant's. */
  #mayTakeId(id: string, tenantId: string): boolean {
    if (this.store.clients.get(id)) return false;
    const retired = this.store.retiredClientIds.get(id);
    return !retired || retired.tenantId === tenantId;
  }

  #clientCount(tenantId: string): number {
    let count = 0;
    for (const client of this.store.clients.values())
      if (client.tenantId === tenantId && !client.deletedAt) count += 1;
    return count;
  }

  hasTenant(tenantId: string): boolean {
    return this.store.tenants.get(tenantId) !== undefined;
  }

  #tenant(tenantId: string): void {
    if (!this.hasTenant(tenantId)) throw new NotFound('tenant', tenantId);
  }

  #isListed(
    client: { kind: string; tenantId: string; deletedAt?: number | null },
    tenantId: string,
  ): boolean {
    return client.kind === 'hybrid' && client.tenantId === tenantId && !client.deletedAt;
  }

  #save(current: HybridClient | undefined, next: HybridClient): HybridClient {
    return this.store.clients.put(
      changedVersion(current, next, this.clock.now(), this.changeDelayMs),
    ) as HybridClient;
  }
}

/** The client's settings: the properties the settings schema knows, and nothing else. */
export function settingsOf(client: HybridClient): HybridClientSettings {
  const names = Object.keys(hybridClientSettings.shape) as (keyof HybridClientSettings)[];
  return Object.fromEntries(names.map((name) => [name, client[name]])) as HybridClientSettings;
}

const withoutUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
