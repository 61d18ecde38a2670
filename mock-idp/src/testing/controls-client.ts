/**
 * The test controls over HTTP, typed: the same model as `idp.controls` in process, for tests that run in another
 * process than the mock (vitest workers, Playwright workers, another language's runner through the same routes).
 *
 *   const controls = mockIdpControls('http://127.0.0.1:4000');
 *   await controls.scenarios.set({ clientId, name: 'invalid-chash' });
 */
import type { ClientState, MockIdpControls, ScenarioDescription } from '../controls/test-controls.ts';
import type { UserView } from '../domain/user-administration.ts';
import type { LoggedRequest } from '../observation/request-log.ts';
import type { Scenario } from '../scenarios/scenario-book.ts';

/** The mock refused a control: its HTTP status and its reason. */
export class MockIdpControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MockIdpControlError';
  }
}

export function mockIdpControls(origin: string): MockIdpControls {
  const base = `${new URL(origin).origin}/__mock__`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(base + path, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const reason = (json as { error_description?: string } | undefined)?.error_description ?? text;
      const hint =
        response.status === 404 && path.startsWith('/scenarios') ? ' (are the test controls on?)' : '';
      throw new MockIdpControlError(
        response.status,
        `${method} /__mock__${path}: ${response.status} ${reason}${hint}`,
      );
    }
    return json as T;
  }
  const id = encodeURIComponent;
  const query = (values: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values))
      if (value !== undefined) params.set(name, String(value));
    const text = params.toString();
    return text ? `?${text}` : '';
  };

  return {
    scenarios: {
      set: (request) => call<Scenario>('POST', '/scenarios', request),
      list: async (clientId) =>
        (await call<{ scenarios: Scenario[] }>('GET', `/scenarios${query({ clientId })}`)).scenarios,
      clear: async (scenarioId) => {
        try {
          await call('DELETE', `/scenarios/${id(scenarioId)}`);
          return true;
        } catch (error) {
          if (error instanceof MockIdpControlError && error.status === 404) return false;
          throw error;
        }
      },
      clearAll: async (clientId) =>
        (await call<{ cleared: number }>('DELETE', `/scenarios${query({ clientId })}`)).cleared,
      catalogue: async () =>
        (await call<{ scenarios: ScenarioDescription[] }>('GET', '/scenarios/catalogue')).scenarios,
    },
    users: {
      create: (user) => call<UserView>('POST', '/users', user),
      get: (userId) => call<UserView>('GET', `/users/${id(userId)}`),
      findByEmail: (email) => call<UserView>('GET', `/users${query({ email })}`),
      setRoles: (userId, roles) => call<UserView>('PUT', `/users/${id(userId)}/roles`, { roles }),
      delete: async (userId) => {
        await call('DELETE', `/users/${id(userId)}`);
      },
      revokeGrants: async (userId, clientId) =>
        (
          await call<{ revoked: number }>(
            'POST',
            `/users/${id(userId)}/revoke-grants`,
            clientId ? { clientId } : {},
          )
        ).revoked,
    },
    clients: {
      create: (client) => call('POST', '/clients', client),
      get: (clientId) => call<ClientState>('GET', `/clients/${id(clientId)}`),
      disable: (clientId) => call<ClientState>('POST', `/clients/${id(clientId)}/disable`, {}),
      enable: (clientId) => call<ClientState>('POST', `/clients/${id(clientId)}/enable`, {}),
      delete: async (clientId) => {
        await call('DELETE', `/clients/${id(clientId)}`);
      },
      expireSecret: (clientId, secretId) =>
        call<ClientState>(
          'POST',
          `/clients/${id(clientId)}/expire-secrets`,
          secretId === undefined ? {} : { secretId },
        ),
      deleteSecret: (clientId, secretId) =>
        call<ClientState>('DELETE', `/clients/${id(clientId)}/secrets/${secretId}`),
    },
    requests: {
      list: async (filter = {}) =>
        (await call<{ requests: LoggedRequest[] }>('GET', `/requests${query({ ...filter })}`)).requests,
      clear: async () => {
        await call('DELETE', '/requests');
      },
    },
    clock: {
      now: () => call('GET', '/clock'),
      advance: (seconds) => call('POST', '/clock/advance', { seconds }),
    },
  };
}
