/**
 * The kit as a user runs it, started in-process for a test: the mock identity server on 127.0.0.1 and the
 * sample app on localhost (two different sites, as in production), wired to a client registered for the app.
 */
import { createServer } from 'node:net';
import { AdjustableClock } from '../../mock-idp/src/clock.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import { type RunningSampleApp, startSampleApp } from '../../sample-app/src/server.ts';
import { startTestIdp, type TestIdp } from './mock-idp.ts';
import { type SeededHybridClient, seedWithAppClient, tenant } from './test-seed.ts';

export interface RunningKit {
  idp: TestIdp;
  app: RunningSampleApp;
  /** http://localhost:{port} */
  appUrl: string;
  client: SeededHybridClient;
  /** The sample app's clock: move it forward to bring the access token near its expiry. */
  appClock: AdjustableClock;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sample app's settings for a client registered at the mock, as a user would put them in .env. */
export function appSettings(
  idp: Pick<TestIdp, 'issuer' | 'origin'>,
  client: SeededHybridClient,
  port: number,
): Record<string, string> {
  return {
    ISSUER_URL: idp.issuer,
    CLIENT_ID: client.id,
    CLIENT_SECRET: client.secret,
    TENANT_ID: tenant.id,
    API_BASE_URL: idp.origin,
    REDIRECT_URI: client.redirectUri,
    POST_LOGOUT_REDIRECT_URI: client.postLogoutRedirectUri,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
}

export async function startKit(
  options: {
    allowOfflineAccess?: boolean;
    accessTokenLifetime?: number;
    scopes?: string;
    env?: Record<string, string>;
  } = {},
): Promise<RunningKit> {
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const { seed, client } = seedWithAppClient(appUrl, {
    allowOfflineAccess: options.allowOfflineAccess ?? true,
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
  });
  const idp = await startTestIdp({ seed });
  const { config } = loadConfig({
    ...appSettings(idp, client, port),
    SCOPES: options.scopes ?? 'openid profile email ocsapi offline_access',
    SESSION_SECRET: 'a-session-secret-for-the-kit-tests-only',
    HTTP_TIMEOUT_SECONDS: '3',
    ...options.env,
  });
  const appClock = new AdjustableClock();
  const app = await startSampleApp(config, { clock: appClock });
  return {
    idp,
    app,
    appUrl,
    client,
    appClock,
    async close() {
      await app.close();
      await idp.dispose();
    },
  };
}
