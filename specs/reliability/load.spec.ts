/**
 * A bounded load run in every test run: 100 users at once, each through a whole session of the sample app against the mock
 * (password sign-in, API call, refresh, API call, sign-out through the identity server). Zero errors, and nothing
 * lost: every session ends on both sides, and what the mock holds survives its restart. `npm run load` runs the
 * same journey with more users (CI runs it with 1,000) and reports the figures.
 */
// vitest: long-running
import session from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUsers, runLoad } from '../../bench/load.ts';
import { type RunningKit, startKit } from '../../harness/kit.ts';

const { users, seedUsers } = loadUsers(100);
const sessions = new session.MemoryStore();
let kit: RunningKit;
beforeAll(async () => {
  // The app's default timeout (the kit's specs use 3 s): here the app, the mock and 100 browsers share one process.
  kit = await startKit({ users: seedUsers, sessionStore: sessions, env: { HTTP_TIMEOUT_SECONDS: '10' } });
});
afterAll(() => kit?.close());

const appSessions = () =>
  new Promise<number>((resolve, reject) =>
    sessions.length((error, length) => (error ? reject(error) : resolve(length ?? 0))),
  );

describe('load', () => {
  it('takes 100 concurrent users through sign-in, API, refresh and sign-out with no error and nothing lost', async () => {
    const result = await runLoad(kit.appUrl, users);
    console.log(
      `load: ${result.completedJourneys}/${result.users} journeys, ${result.requests} requests, ${result.seconds} s, ` +
        `${result.errors.length} errors`,
    );
    expect(result.errors).toEqual([]);
    expect(result.completedJourneys).toBe(users.length);

    // Every session ended: none left in the app, no sign-on session of these users left at the identity server.
    expect(await appSessions()).toBe(0);
    const loadUserIds = new Set(users.map((user) => user.id));
    const { store } = kit.idp.context;
    expect(store.sessions.values().filter((entry) => loadUserIds.has(entry.userId))).toEqual([]);

    // The app revoked each user's refresh token at sign-out: no grant and no refresh token of theirs is left.
    expect(store.grants.values().filter((grant) => loadUserIds.has(grant.userId))).toEqual([]);
    expect(store.refreshTokens.size).toBe(store.grants.size);

    // What the identity server acknowledged is on disk: the same records after a restart.
    const before = {
      grants: store.grants.size,
      refreshTokens: store.refreshTokens.size,
      sessions: store.sessions.size,
    };
    await kit.stopIdp();
    await kit.startIdp();
    const after = kit.idp.context.store;
    expect({
      grants: after.grants.size,
      refreshTokens: after.refreshTokens.size,
      sessions: after.sessions.size,
    }).toEqual(before);
  }, 180_000);
});
