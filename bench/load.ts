/**
 * The load run: many users at once, each through a whole session of the sample app against the mock — sign in
 * with a password, call the API, refresh, call it again, sign out through the identity server — with every step's
 * answer checked. Used by `npm run load` (figures) and by a spec (a smaller run in CI).
 */

import { postAppForm, signInThroughApp, tenant, UserAgent } from '../harness/index.ts';
import type { SeedFile } from '../mock-idp/src/index.ts';
import { hashPassword } from '../mock-idp/src/index.ts';
import { Latencies, round } from './measure.ts';

export interface LoadUser {
  id: string;
  email: string;
  password: string;
}

const loadPassword = 'load-user-password-1';

/** `count` users of the spec tenant, with one scrypt hash between them so a big seed loads at once. */
export function loadUsers(count: number): { users: LoadUser[]; seedUsers: SeedFile['users'] } {
  const passwordHash = hashPassword(loadPassword);
  const users = Array.from({ length: count }, (_, index) => ({
    id: `10ad0000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    email: `load.user.${index}@example.com`,
    password: loadPassword,
  }));
  return {
    users,
    seedUsers: users.map(({ id, email }, index) => ({
      id,
      tenantId: tenant.id,
      email,
      passwordHash,
      name: `Load User ${index}`,
      // The Data Hub API lists namespaces for Tenant Members only.
      roles: ['Tenant Member' as const],
    })),
  };
}

export const journeySteps = [
  'sign in',
  'API call',
  'refresh',
  'API call after refresh',
  'sign out',
  'signed out',
] as const;
type Step = (typeof journeySteps)[number];

export interface LoadResult {
  users: number;
  completedJourneys: number;
  requests: number;
  errors: string[];
  seconds: number;
  journeysPerSecond: number;
  steps: { step: Step; p50Ms: number; p99Ms: number }[];
}

/** One user's session, start to end; throws with the step that went wrong. */
async function journey(appBase: string, user: LoadUser, latency: Map<Step, Latencies>, agent: UserAgent) {
  const step = async <T>(name: Step, run: () => Promise<T>): Promise<T> => {
    try {
      return await (latency.get(name) as Latencies).time(run);
    } catch (error) {
      // fetch's own message ("fetch failed") hides the network error, which is in its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      throw new Error(
        `${user.email}, ${name}: ${error instanceof Error ? error.message : String(error)}${cause}`,
      );
    }
  };
  const expectStatus = (what: string, status: number, expected: number) => {
    if (status !== expected) throw new Error(`${what} answered ${status}, not ${expected}`);
  };
  await step('sign in', () => signInThroughApp(appBase, user, agent));
  const callApi = async () => {
    const page = await agent.request(`${appBase}/namespaces`);
    expectStatus('/namespaces', page.response.status, 200);
    if (!page.body.includes('<li')) throw new Error('/namespaces listed nothing');
  };
  await step('API call', callApi);
  await step('refresh', async () => {
    expectStatus('/refresh', (await postAppForm(agent, appBase, '/refresh')).response.status, 303);
  });
  await step('API call after refresh', callApi);
  await step('sign out', async () => {
    const logout = await postAppForm(agent, appBase, '/logout');
    expectStatus('/logout', logout.response.status, 303);
    const endSession = await agent.request(logout.response.headers.get('location') as string);
    const back = endSession.response.headers.get('location');
    if (!back) throw new Error(`end session answered ${endSession.response.status} without a redirect`);
    const signedOut = await agent.request(new URL(back, endSession.url).href);
    expectStatus('/signed-out', signedOut.response.status, 200);
    if (!signedOut.body.includes('You are signed out of this app and of the identity server'))
      throw new Error('the signed-out page does not confirm the sign-out');
  });
  await step('signed out', async () => {
    expectStatus('/profile after sign-out', (await agent.request(`${appBase}/profile`)).response.status, 303);
  });
}

/** A browser that counts the requests it makes. */
class CountingAgent extends UserAgent {
  static requests = 0;

  override request(...args: Parameters<UserAgent['request']>) {
    CountingAgent.requests += 1;
    return super.request(...args);
  }
}

export async function runLoad(appBase: string, users: LoadUser[]): Promise<LoadResult> {
  const latency = new Map(journeySteps.map((name) => [name, new Latencies()]));
  const errors: string[] = [];
  const requestsBefore = CountingAgent.requests;
  let completed = 0;
  const start = performance.now();
  await Promise.all(
    users.map((user) =>
      journey(appBase, user, latency, new CountingAgent()).then(
        () => {
          completed += 1;
        },
        (error: Error) => {
          errors.push(error.message);
        },
      ),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    users: users.length,
    completedJourneys: completed,
    requests: CountingAgent.requests - requestsBefore,
    errors,
    seconds: round(seconds, 2),
    journeysPerSecond: round(completed / seconds),
    steps: journeySteps.map((name) => ({
      step: name,
      p50Ms: (latency.get(name) as Latencies).percentile(0.5),
      p99Ms: (latency.get(name) as Latencies).percentile(0.99),
    })),
  };
}
