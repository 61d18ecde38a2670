/**
 * The sample app's extension hooks (src/extension.ts), through which the kit adds its walkthrough: each is told
 * what its route holds, at the moment it says, and a hook that fails is passed over, so an extension can never turn a
 * sign-in, a refresh or a half-done sign-out into an error page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAppForm, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import type { AppExtension } from '../../sample-app/src/extension.ts';

const hooks = ['signInStarted', 'signedIn', 'refreshed', 'signingOut', 'signedOutReturn'] as const;

/** A user's whole visit: sign in, the profile, a refresh, sign out, and back at the signed-out page. */
async function wholeVisit(kit: RunningKit) {
  const agent = await signInThroughApp(kit.appUrl, alice);
  const profile = await agent.request(`${kit.appUrl}/profile`);
  const refresh = await postAppForm(agent, kit.appUrl, '/refresh');
  const logout = await postAppForm(agent, kit.appUrl, '/logout');
  const endSession = logout.response.headers.get('location') as string;
  const state = new URL(endSession).searchParams.get('state');
  const back = await agent.request(`${kit.appUrl}/signed-out?state=${state}`);
  return { profile, refresh, logout, endSession, back };
}

describe('extension hooks', () => {
  const told: { hook: string; value: string }[] = [];
  let kit: RunningKit;
  beforeAll(async () => {
    const listening: AppExtension = {
      signInStarted: async ({ authorizationUrl }) => {
        told.push({ hook: 'signInStarted', value: authorizationUrl.searchParams.get('state') ?? '' });
      },
      signedIn: async ({ state, session }) => {
        told.push({ hook: 'signedIn', value: `${state} ${session.user?.subject}` });
      },
      refreshed: async (session) => {
        told.push({ hook: 'refreshed', value: String(session.tokens?.refreshedAt !== null) });
      },
      signingOut: async ({ endSessionUrl }) => {
        told.push({ hook: 'signingOut', value: endSessionUrl.href });
      },
      signedOutReturn: async ({ stateMatched }) => {
        told.push({ hook: 'signedOutReturn', value: String(stateMatched) });
      },
    };
    kit = await startKit({ extension: listening });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('tells each hook what its route holds, in the order of the flow', async () => {
    const { profile, endSession } = await wholeVisit(kit);
    expect(profile.response.status).toBe(200);

    const state = told[0]?.value;
    expect(told).toEqual([
      { hook: 'signInStarted', value: state },
      { hook: 'signedIn', value: `${state} ${alice.id}` },
      { hook: 'refreshed', value: 'true' },
      { hook: 'signingOut', value: endSession },
      { hook: 'signedOutReturn', value: 'true' },
    ]);
  });
});

describe('an extension whose every hook fails', () => {
  let kit: RunningKit;
  beforeAll(async () => {
    const failing = Object.fromEntries(
      hooks.map((hook) => [
        hook,
        async () => {
          throw new Error(`${hook} broke`);
        },
      ]),
    ) as AppExtension;
    kit = await startKit({ extension: failing });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('is passed over: the user signs in, refreshes and signs out as without it', async () => {
    const { profile, refresh, logout, endSession, back } = await wholeVisit(kit);
    expect(profile.response.status).toBe(200);
    expect(refresh.response.status).toBe(303);
    expect(logout.response.status).toBe(303);
    expect(endSession).toContain('/connect/endsession');
    expect(back.response.status).toBe(200);
    expect(back.body).toContain('You are signed out');
  });
});
