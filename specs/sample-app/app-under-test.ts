/** The sample app on a free local port, configured against the scripted identity server of fake-identity-server.ts. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { UserAgent } from '../../harness/user-agent.ts';
import { AdjustableClock } from '../../mock-idp/src/index.ts';
import { createApp } from '../../sample-app/src/app.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import {
  FakeIdentityServer,
  fakeApi,
  fakeClient,
  fakeIssuer,
  fakeTenant,
} from '../support/fake-identity-server.ts';

export interface AppUnderTest {
  url: string;
  fake: FakeIdentityServer;
  clock: AdjustableClock;
  msw: ReturnType<typeof setupServer>;
  /** Signs in through the scripted identity server and returns the browser holding the session. */
  signIn(agent?: UserAgent, returnTo?: string): Promise<UserAgent>;
}

/** Registers the hooks that start the fakes and the app for the spec file, and returns them. */
export function useAppUnderTest(env: Record<string, string> = {}): AppUnderTest {
  const handle = {} as AppUnderTest;
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    handle.fake = await FakeIdentityServer.create();
    handle.msw = setupServer(...handle.fake.handlers());
    handle.msw.listen({
      onUnhandledRequest(request, print) {
        if (new URL(request.url).hostname !== '127.0.0.1') print.error();
      },
    });
    handle.clock = new AdjustableClock();
    const { config } = loadConfig({
      ISSUER_URL: fakeIssuer,
      CLIENT_ID: fakeClient.id,
      CLIENT_SECRET: fakeClient.secret,
      TENANT_ID: fakeTenant,
      API_BASE_URL: fakeApi,
      REDIRECT_URI: fakeClient.redirectUri,
      POST_LOGOUT_REDIRECT_URI: fakeClient.postLogoutRedirectUri,
      SESSION_SECRET: 'session-secret-for-the-sample-app-specs',
      HTTP_TIMEOUT_SECONDS: '1',
      ...env,
    });
    const server = createServer(createApp({ config, clock: handle.clock }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    handle.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    };
  });
  afterEach(() => {
    handle.msw.resetHandlers();
    handle.fake.tokenRequests.length = 0;
    handle.fake.apiCalls.length = 0;
    handle.fake.issuedAccessTokens.length = 0;
    handle.fake.settings = { refreshTokens: true, accessTokenLifetime: 3600 };
  });
  afterAll(async () => {
    handle.msw.close();
    await close();
  });

  handle.signIn = async (agent = new UserAgent(), returnTo = '/profile') => {
    const login = await agent.request(`${handle.url}/login?returnTo=${encodeURIComponent(returnTo)}`);
    const fields = await handle.fake.callbackFields(login.response.headers.get('location') as string);
    const callback = await agent.request(`${handle.url}/callback`, { form: fields });
    if (callback.response.status !== 303)
      throw new Error(`sign-in failed: ${callback.response.status} ${callback.body}`);
    return agent;
  };
  return handle;
}
