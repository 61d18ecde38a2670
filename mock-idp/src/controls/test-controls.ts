/**
 * What a test can steer and read, as one typed model: scenarios, users, client lifecycle, the request log, the
 * clock. The same model has three doors: in process (`idp.controls`, this file), over HTTP with the test controls
 * on (http/routes/test-controls.ts), and a typed HTTP client for tests in other processes (./http-client.ts).
 */
import type { AdjustableClock } from '../clock.ts';
import type { IdpContext } from '../context.ts';
import {
  ClientAdministration,
  type HybridClientPatch,
  NotFound,
  validSettings,
} from '../domain/client-administration.ts';
import { ClientRuleError } from '../domain/hybrid-clients.ts';
import type { ClientSecret, HybridClient } from '../domain/model.ts';
import {
  type NewUser,
  onlyTenant,
  UserAdministration,
  type UserView,
} from '../domain/user-administration.ts';
import type { LoggedRequest, RequestFilter } from '../observation/request-log.ts';
import { ControlError } from '../plumbing/control-error.ts';
import { reachesEveryClient, type ScenarioDefinition, scenarioCatalogue } from '../scenarios/catalogue.ts';
import type { Scenario, ScenarioRequest } from '../scenarios/scenario-book.ts';

/** A scenario of the catalogue as the controls describe it (without the code that applies it). */
export type ScenarioDescription = Omit<ScenarioDefinition, 'effect'> & {
  /** Discovery and JWKS requests name no client: such a scenario reaches whoever asks next. */
  reachesEveryClient: boolean;
  /** The options it takes beyond clientId, name and times. */
  options: string[];
};

/** A hybrid client for a test: the HybridClients API's settings (camelCase), and the tenant when there are several. */
export type NewHybridClient = HybridClientPatch & {
  name: string;
  redirectUris: string[];
  tenantId?: string;
};

export interface ClientState {
  id: string;
  tenantId: string;
  enabled: boolean;
  deleted: boolean;
  secrets: Array<Pick<ClientSecret, 'id' | 'description'> & { expiresAt: string | null }>;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface MockIdpControls {
  scenarios: {
    /**
     * Sets a scenario for one client: its next `times` matching responses (default 1) misbehave; with a userId, only
     * the responses of that user's sign-ins (so tests side by side, each signing in as its own user, never meet
     * each other's scenarios).
     */
    set(request: ScenarioRequest): Promise<Scenario>;
    /** The scenarios waiting, of one client or all. */
    list(clientId?: string): Promise<Scenario[]>;
    /** Clears one scenario by id; false when there was none. */
    clear(id: string): Promise<boolean>;
    /** Clears every scenario, or every one of a client; how many. */
    clearAll(clientId?: string): Promise<number>;
    catalogue(): Promise<ScenarioDescription[]>;
  };
  users: {
    create(user: NewUser): Promise<UserView>;
    get(userId: string): Promise<UserView>;
    /** The user who signs in with this email: how a test learns the id (the sub) of a seeded user. */
    findByEmail(email: string): Promise<UserView>;
    /** Replaces the user's roles: seen at their next sign-in; a refresh reissues the sign-in's access token. */
    setRoles(userId: string, roles: string[]): Promise<UserView>;
    /** Removes the user with their sessions and grants. */
    delete(userId: string): Promise<void>;
    /** Ends the user's refresh-token families (of one client, or all); how many. */
    revokeGrants(userId: string, clientId?: string): Promise<number>;
  };
  /** Client lifecycle, applied at once (whatever delay client changes have at this mock). */
  clients: {
    /**
     * Registers a hybrid client for a test's app (its redirect URLs on the port it got): the HybridClients API's
     * rules, in effect at once; the secret is returned this once.
     */
    create(client: NewHybridClient): Promise<ClientState & { secret: string }>;
    get(clientId: string): Promise<ClientState>;
    disable(clientId: string): Promise<ClientState>;
    enable(clientId: string): Promise<ClientState>;
    /** Deleted as the API deletes: sign-ins and refreshes stop once the change delay is over (none by default). */
    delete(clientId: string): Promise<void>;
    /** Expires one secret now, or every secret of the client. */
    expireSecret(clientId: string, secretId?: number): Promise<ClientState>;
    deleteSecret(clientId: string, secretId: number): Promise<ClientState>;
  };
  requests: {
    list(filter?: RequestFilter): Promise<LoggedRequest[]>;
    clear(): Promise<void>;
  };
  clock: {
    now(): Promise<{ now: string; epochSeconds: number }>;
    advance(seconds: number): Promise<{ now: string; epochSeconds: number }>;
  };
}

export const describeScenarios = (): ScenarioDescription[] =>
  (scenarioCatalogue as readonly ScenarioDefinition[]).map(({ effect, ...definition }) => ({
    ...definition,
    reachesEveryClient: reachesEveryClient(definition),
    options: [
      ...(reachesEveryClient(definition) ? [] : ['userId']),
      ...(effect.kind === 'delay' ? ['seconds'] : []),
      ...(effect.kind === 'forge-id-token' && effect.signing === 'hs256-client-secret'
        ? ['clientSecret']
        : []),
    ],
  }));

export function createTestControls(ctx: IdpContext, clock: AdjustableClock): MockIdpControls {
  const users = new UserAdministration(ctx.store);
  // Lifecycle changes made by a test take effect at once, whatever delay the mock gives portal and API changes.
  const administration = new ClientAdministration(ctx.store, clock, 0);
  const hybrid = (clientId: string): HybridClient => {
    const client = ctx.store.clients.get(clientId);
    if (client?.kind !== 'hybrid' || client.deletedAt)
      throw new ControlError(404, `no hybrid client ${clientId}`);
    return client;
  };
  const state = (clientId: string): ClientState => {
    const client = hybrid(clientId);
    return {
      id: client.id,
      tenantId: client.tenantId,
      enabled: client.enabled,
      deleted: Boolean(client.deletedAt),
      redirectUris: client.redirectUris,
      postLogoutRedirectUris: client.postLogoutRedirectUris,
      secrets: client.secrets.map(({ id, description, expiresAt }) => ({
        id,
        description,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      })),
    };
  };
  const setEnabled = (clientId: string, enabled: boolean) => {
    const { tenantId, id } = hybrid(clientId);
    administration.updateHybridClient(tenantId, id, { enabled });
    return state(id);
  };
  const clockState = () => ({
    now: new Date(clock.now()).toISOString(),
    epochSeconds: Math.floor(clock.now() / 1000),
  });

  return {
    scenarios: {
      set: (request) => controlled(() => ctx.scenarios.set(request)),
      list: async (clientId) => ctx.scenarios.list(clientId),
      clear: async (id) => ctx.scenarios.clear(id),
      clearAll: async (clientId) => ctx.scenarios.clearAll(clientId),
      catalogue: async () => describeScenarios(),
    },
    users: {
      create: (user) => controlled(() => users.create(user)),
      get: (userId) => controlled(() => users.get(userId)),
      findByEmail: (email) => controlled(() => users.findByEmail(email)),
      setRoles: (userId, roles) => controlled(() => users.setRoles(userId, { roles })),
      delete: (userId) => controlled(() => users.delete(userId)),
      revokeGrants: (userId, clientId) => controlled(() => users.revokeGrants(userId, clientId)),
    },
    clients: {
      create: (request) =>
        controlled(() => {
          const { tenantId: chosen, ...settings } = (request ?? {}) as NewHybridClient;
          const tenantId = chosen ?? onlyTenant(ctx.store.tenants.values());
          const created = administration.createHybridClient(tenantId, validSettings(settings), {
            description: 'Created by a test',
            expiresAt: null,
          });
          return { ...state(created.client.id), secret: created.secretValue };
        }),
      get: (clientId) => controlled(() => state(clientId)),
      disable: (clientId) => controlled(() => setEnabled(clientId, false)),
      enable: (clientId) => controlled(() => setEnabled(clientId, true)),
      delete: (clientId) =>
        controlled(() => {
          const { tenantId, id } = hybrid(clientId);
          administration.deleteHybridClient(tenantId, id);
          ctx.scenarios.clearAll(id);
        }),
      expireSecret: (clientId, secretId) =>
        controlled(() => {
          const { tenantId, id, secrets } = hybrid(clientId);
          const chosen = secretId === undefined ? secrets : [administration.secret(tenantId, id, secretId)];
          for (const secret of chosen)
            administration.updateSecret(tenantId, id, secret.id, { expiresAt: clock.now() });
          return state(id);
        }),
      deleteSecret: (clientId, secretId) =>
        controlled(() => {
          const { tenantId, id } = hybrid(clientId);
          administration.removeSecret(tenantId, id, secretId);
          return state(id);
        }),
    },
    requests: {
      list: async (filter) => ctx.requestLog.list(filter),
      clear: async () => ctx.requestLog.clear(),
    },
    clock: {
      now: async () => clockState(),
      advance: async (seconds) => {
        clock.advance(seconds);
        return clockState();
      },
    },
  };
}

/** Runs a control, with the client rules' refusals as ControlErrors too. */
async function controlled<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof NotFound) throw new ControlError(404, error.message);
    if (error instanceof ClientRuleError) throw new ControlError(400, error.message);
    throw error;
  }
}
