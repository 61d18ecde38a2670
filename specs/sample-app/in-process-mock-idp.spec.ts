/**
 * The sample app against the real mock identity server running in-process as msw request handlers: no port
 * for the identity server, no browser, and still the whole flow, login page included.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSettings } from '../../harness/kit.ts';
import { type DataFolder, makeDataFolder } from '../../harness/mock-idp.ts';
import { alice, seedWithAppClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { type MockIdpHandlers, mockIdpHandlers } from '../../mock-idp/src/msw.ts';
import { createApp } from '../../sample-app/src/app.ts';
import { loadConfig } from '../../sample-app/src/config.ts';

const origin = 'https://idp.example.test';
let mock: MockIdpHandlers;
let msw: ReturnType<typeof setupServer>;
let folder: DataFolder;
let server: Server;
let app: string;

beforeAll(async () => {
  // The app's address is registered with the client, so the app listens first.
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  app = `http://127.0.0.1:${port}`;
  const { seed, client } = seedWithAppClient(`http://localhost:${port}`);
  folder = await makeDataFolder(seed);
  mock = await mockIdpHandlers({ origin, seedFile: folder.seedFile });
  msw = setupServer(...mock.handlers);
  msw.listen({ onUnhandledRequest: 'bypass' });
  const { config } = loadConfig({
    ...appSettings({ issuer: `${origin}/identity`, origin }, client, port),
    SESSION_SECRET: 'a-session-secret-for-the-msw-spec-only',
  });
  server.on('request', createApp({ config }));
});
afterAll(async () => {
  msw.close();
  server.closeAllConnections();
  server.close();
  await folder.remove();
});

describe('the mock identity server as msw handlers', () => {
  it('serves discovery at the https origin the app was given', async () => {
    const metadata = await (await fetch(`${origin}/identity/.well-known/openid-configuration`)).json();
    expect(metadata.issuer).toBe(`${origin}/identity`);
  });

  it('runs the whole hybrid flow for the sample app: login page, callback, API, refresh, sign-out', async () => {
    const agent = new UserAgent();
    const login = await agent.request(`${app}/login?returnTo=/namespaces`);
    const authorizationUrl = login.response.headers.get('location') as string;
    expect(authorizationUrl.startsWith(`${origin}/identity/connect/authorize`)).toBe(true);

    const { response, loginShown } = await agent.signIn(authorizationUrl, alice);
    expect(loginShown).toBe(true);
    const callback = await agent.request(`${app}/callback`, { form: response.fields });
    expect(callback.response.headers.get('location')).toBe('/namespaces');
    expect((await agent.request(`${app}/namespaces`)).body).toContain('production');

    // The mock's keys are at hand: once the key that signed the access token is no longer published, the API
    // refuses the token (JWT access tokens cannot be revoked), and the app refreshes once.
    for (let rotation = 0; rotation < 3; rotation += 1) await mock.idp.context.keys.rotate();
    const refreshed = await agent.request(`${app}/namespaces`);
    expect(refreshed.body).toContain('production');

    const profile = await agent.request(`${app}/profile`);
    const csrf = UserAgent.csrfToken(profile.body) ?? '';
    const signOut = await agent.request(`${app}/logout`, { form: { _csrf: csrf } });
    const endSession = await agent.request(signOut.response.headers.get('location') as string);
    expect(endSession.response.headers.get('location')).toMatch(/\/signed-out\?state=/);

    // The request log a test reads works in process too: every endpoint of the flow, with its status.
    const logged = (await mock.idp.requests.list()).map(({ endpoint, status, grantType }) =>
      grantType ? `${endpoint} ${grantType} ${status}` : `${endpoint} ${status}`,
    );
    expect(logged).toEqual(
      expect.arrayContaining([
        'authorize 303',
        'login 200',
        'token authorization_code 200',
        'userinfo 200',
        'token refresh_token 200',
        'revocation 200',
        'end_session 303',
      ]),
    );
  });
});
