/**
 * A session changed by a form post is in the store before the browser is sent on. express-session sends a
 * response's headers first and saves the session after, and a browser follows a 303 as soon as its headers arrive:
 * with a store slower than the next request (Redis, another instance), the next page read the session as it was.
 * Seen as a flaky `redis-sessions.spec.ts` (the refresh notice missing on the other instance); here made certain
 * with a store that takes its time to write.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryStore, type SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

/** A memory store whose writes land a while after they are asked for, as a remote store's may. */
class SlowToWriteStore extends MemoryStore {
  override set(sessionId: string, data: SessionData, callback?: (error?: unknown) => void): void {
    void sleep(300).then(() => super.set(sessionId, data, callback));
  }
}

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit({ sessionStore: new SlowToWriteStore() });
});
afterAll(async () => {
  await kit?.close();
});

describe('a session changed by a form post', () => {
  it('is stored before the 303 is sent: the page it leads to shows the refreshed tokens', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    const cookie = agent.cookieHeader(kit.appUrl);
    const before = await agent.request(`${kit.appUrl}/profile`);
    const refresh = await fetch(`${kit.appUrl}/refresh`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: kit.appUrl },
      body: new URLSearchParams({ _csrf: UserAgent.csrfToken(before.body) as string }),
    });
    expect(refresh.status).toBe(303);
    // As a browser does: on to the Location as soon as the headers are in.
    const after = await fetch(`${kit.appUrl}/profile`, { headers: { cookie } });
    expect(await after.text()).toContain('The access token was refreshed.');
  });
});
