/**
 * The identity server a conformance spec runs against: the bundled mock, in-process (the default), or another
 * server named by CONFORMANCE_* variables (a separately started mock, a real tenant, any OpenID provider).
 * A spec states what it needs; on a target that lacks it, the spec is skipped with the reason.
 *
 *   CONFORMANCE_ISSUER                 the issuer, e.g. https://uswe.datahub.connect.aveva.com/identity
 *   CONFORMANCE_CLIENT_ID / _SECRET    a hybrid client with Allow Refresh Token and a refresh-capable scope set
 *   CONFORMANCE_REDIRECT_URI           one of its Allowed Redirect URL(s) (never called by the suite)
 *   CONFORMANCE_POST_LOGOUT_REDIRECT_URI  one of its Allowed Logout Redirect URL(s)
 *   CONFORMANCE_TENANT_ID              its tenant
 *   CONFORMANCE_API_BASE_URL           where /api/v1 answers (default: the issuer's origin)
 *   CONFORMANCE_USER_EMAIL / _PASSWORD a user the suite can sign in with the mock's login form ("test user")
 *   CONFORMANCE_ADMIN_CLIENT_ID / _SECRET  a client-credentials client with Tenant Administrator and Tenant Member ("admin API")
 *   CONFORMANCE_TIME_CONTROL=true      the target serves the mock's /__mock__/clock ("time control")
 */
import type { TestContext } from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  adminClient,
  alice,
  offlineClient,
  type SeededHybridClient,
  tenant,
} from '../../harness/test-seed.ts';

export type Prerequisite = 'test-user' | 'time-control' | 'admin-api' | 'in-process mock';

export interface Target {
  issuer: string;
  /** Where the Data Hub API answers. */
  apiBase: string;
  client: SeededHybridClient;
  tenantId: string;
  user: { email: string; password: string } | null;
  admin: { id: string; secret: string } | null;
  /** Moves the target's clock forward, when it can. */
  advanceClock: ((seconds: number) => Promise<void>) | null;
  /** The target's time: ahead of this machine's once its clock was moved (other spec files may have moved it). */
  now(): Promise<Date>;
  /** The in-process mock itself, for specs that look inside it. */
  mock: TestIdp | null;
}

const env = process.env;
export const remoteIssuer = env.CONFORMANCE_ISSUER?.replace(/\/$/, '');

function remoteTarget(issuer: string): Target {
  const required = (name: string) => {
    const value = env[name];
    if (!value)
      throw new Error(`${name} is required when CONFORMANCE_ISSUER is set (see specs/support/target.ts)`);
    return value;
  };
  const apiBase = (env.CONFORMANCE_API_BASE_URL ?? new URL(issuer).origin).replace(/\/$/, '');
  const timeControl = env.CONFORMANCE_TIME_CONTROL === 'true';
  const clockUrl = `${new URL(issuer).origin}/__mock__/clock`;
  return {
    issuer,
    apiBase,
    client: {
      id: required('CONFORMANCE_CLIENT_ID'),
      secret: required('CONFORMANCE_CLIENT_SECRET'),
      redirectUri: required('CONFORMANCE_REDIRECT_URI'),
      postLogoutRedirectUri: required('CONFORMANCE_POST_LOGOUT_REDIRECT_URI'),
    },
    tenantId: required('CONFORMANCE_TENANT_ID'),
    user:
      env.CONFORMANCE_USER_EMAIL && env.CONFORMANCE_USER_PASSWORD
        ? { email: env.CONFORMANCE_USER_EMAIL, password: env.CONFORMANCE_USER_PASSWORD }
        : null,
    admin:
      env.CONFORMANCE_ADMIN_CLIENT_ID && env.CONFORMANCE_ADMIN_CLIENT_SECRET
        ? { id: env.CONFORMANCE_ADMIN_CLIENT_ID, secret: env.CONFORMANCE_ADMIN_CLIENT_SECRET }
        : null,
    advanceClock: timeControl
      ? async (seconds) => {
          const response = await fetch(`${clockUrl}/advance`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ seconds }),
          });
          if (!response.ok) throw new Error(`the target refused to move its clock: HTTP ${response.status}`);
        }
      : null,
    now: async () =>
      timeControl ? new Date(((await (await fetch(clockUrl)).json()) as { now: string }).now) : new Date(),
    mock: null,
  };
}

function inProcessTarget(mock: TestIdp): Target {
  return {
    issuer: mock.issuer,
    apiBase: mock.origin,
    client: offlineClient,
    tenantId: tenant.id,
    user: alice,
    admin: adminClient,
    advanceClock: async (seconds) => mock.clock.advance(seconds),
    now: async () => new Date(mock.clock.now()),
    mock,
  };
}

/** Registers the hooks that set up the target for a spec file; call the returned function inside tests. */
export function useTarget(): () => Target {
  let target: Target | null = null;
  beforeAll(async () => {
    target = remoteIssuer ? remoteTarget(remoteIssuer) : inProcessTarget(await startTestIdp());
  });
  afterAll(async () => {
    await target?.mock?.dispose();
  });
  return () => {
    if (!target) throw new Error('the target is set up in beforeAll: use it inside a test');
    return target;
  };
}

/** Skips the running test, with the reason, when the target lacks what it needs. */
export function need(ctx: TestContext, target: Target, ...prerequisites: Prerequisite[]): void {
  const missing = prerequisites.filter(
    (prerequisite) =>
      (prerequisite === 'test-user' && !target.user) ||
      (prerequisite === 'time-control' && !target.advanceClock) ||
      (prerequisite === 'admin-api' && !target.admin) ||
      (prerequisite === 'in-process mock' && !target.mock),
  );
  if (missing.length > 0) ctx.skip(`the target has no ${missing.join(', no ')}`);
}
