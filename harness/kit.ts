/**
 * The kit as a user runs it, started in-process for a test: the mock identity server on 127.0.0.1 and the
 * sample app on localhost (two different sites, as in production), wired to a client registered for the app.
 */
import type { Store } from 'express-session';
import type { SeedFile as Seed } from '../mock-idp/src/index.ts';
import { AdjustableClock } from '../mock-idp/src/index.ts';
import { loadConfig } from '../sample-app/src/config.ts';
import type { AppExtension } from '../sample-app/src/extension.ts';
import { type RunningSampleApp, startSampleApp } from '../sample-app/src/server.ts';
import type { RpSettings } from '../specs/conformance/rp/plan.ts';
import { walkthroughExtension, walkthroughWanted } from '../walkthrough/extension.ts';
import { freePort } from './free-port.ts';
import { makeDataFolder, startTestIdp, type TestIdp } from './mock-idp.ts';
import { alice, type SeededHybridClient, seedWithAppClient, tenant } from './test-seed.ts';
import { UserAgent } from './user-agent.ts';

export { freePort };

export interface RunningKit {
  /** The identity server of the moment: stopIdp and startIdp replace it. */
  idp: TestIdp;
  app: RunningSampleApp;
  /** http://localhost:{port} */
  appUrl: string;
  client: SeededHybridClient;
  /** The sample app's clock: move it forward to bring the access token near its expiry. */
  appClock: AdjustableClock;
  /** Stops the identity server (an outage); its state and keys stay in the data folder. */
  stopIdp(): Promise<void>;
  /** Starts the identity server again on the same address and data folder (a restart). */
  startIdp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The sample app's settings for a client registered at the mock, as a user would put them in .env: the authority
 * as ISSUER_URL, and EXPECTED_ISSUER when the mock announces another issuer.
 */
export function appSettings(
  idp: Pick<TestIdp, 'issuer' | 'origin'> & { authority?: string },
  client: SeededHybridClient,
  port: number,
): Record<string, string> {
  const authority = idp.authority ?? idp.issuer;
  return {
    ISSUER_URL: authority,
    ...(authority !== idp.issuer && { EXPECTED_ISSUER: idp.issuer }),
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
    /** More users for the spec tenant (a load run's). */
    users?: Seed['users'];
    sessionStore?: Store;
    /** What the app is extended with, in place of the kit's walkthrough. */
    extension?: AppExtension;
    /** The issuer the mock announces, when it is not its authority URL. */
    issuerUri?: string;
    /** The mock's settings that the sources leave open (server.ts says which). */
    authorizationResponseIss?: boolean;
    hybridRefreshTokens?: boolean;
  } = {},
): Promise<RunningKit> {
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const { seed, client } = seedWithAppClient(appUrl, {
    allowOfflineAccess: options.allowOfflineAccess ?? true,
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
  });
  const folder = await makeDataFolder({ ...seed, users: [...seed.users, ...(options.users ?? [])] });
  const idpSettings = {
    issuerUri: options.issuerUri,
    authorizationResponseIss: options.authorizationResponseIss,
    hybridRefreshTokens: options.hybridRefreshTokens,
  };
  let idp = await startTestIdp({ folder, ...idpSettings });
  const idpPort = Number(new URL(idp.origin).port);
  const { config } = loadConfig({
    ...appSettings(idp, client, port),
    SCOPES: options.scopes ?? 'openid profile email ocsapi offline_access',
    SESSION_SECRET: 'a-session-secret-for-the-kit-tests-only',
    HTTP_TIMEOUT_SECONDS: '3',
    ...options.env,
  });
  const appClock = new AdjustableClock();
  const app = await startSampleApp(config, {
    clock: appClock,
    ...(options.sessionStore && { sessionStore: options.sessionStore }),
    // As npm start does: the kit's "How this sign-in worked", on unless SHOW_SIGN_IN_FLOW says otherwise.
    ...(walkthroughWanted(options.env ?? {}, config) && {
      extension: walkthroughExtension(config, appClock),
    }),
    ...(options.extension && { extension: options.extension }),
  });
  return {
    get idp() {
      return idp;
    },
    app,
    appUrl,
    client,
    appClock,
    stopIdp: () => idp.dispose(),
    async startIdp() {
      idp = await startTestIdp({ folder, port: idpPort, ...idpSettings });
    },
    async close() {
      await app.close();
      await idp.dispose();
      await folder.remove();
    },
  };
}

/** A browser signing a user in through the sample app at `appBase`, over plain HTTP, on the mock's login page. */
/** The relying-party plan's settings for the kit's sample app, signing in as alice: every module can run. */
export const samplePlanSettings = (kit: RunningKit, workers: number): RpSettings => ({
  issuer: kit.idp.issuer,
  clientId: kit.client.id,
  clientSecret: kit.client.secret,
  signInUrl: `${kit.appUrl}/login?returnTo=/profile`,
  signedInUrl: `${kit.appUrl}/profile`,
  user: alice.email,
  password: alice.password,
  refreshUrl: `${kit.appUrl}/refresh`,
  signOutUrl: `${kit.appUrl}/logout`,
  timeLimitSeconds: 10,
  workers,
});

export async function signInThroughApp(
  appBase: string,
  user: { email: string; password: string },
  agent = new UserAgent(),
): Promise<UserAgent> {
  const login = await agent.request(`${appBase}/login?returnTo=/profile`);
  const location = login.response.headers.get('location');
  if (login.response.status !== 303 || !location)
    throw new Error(
      `the sample app did not start a sign-in: HTTP ${login.response.status} ${login.body.slice(0, 300)}`,
    );
  const { response } = await agent.signIn(location, user);
  const callback = await agent.request(`${appBase}/callback`, { form: response.fields });
  if (callback.response.status !== 303)
    throw new Error(
      `the sign-in did not complete: HTTP ${callback.response.status} ${callback.body.slice(0, 300)}`,
    );
  return agent;
}

/** Posts one of the sample app's forms (refresh, logout) with the CSRF token its profile page carries. */
export async function postAppForm(agent: UserAgent, appBase: string, path: string) {
  const profile = await agent.request(`${appBase}/profile`);
  const csrf = UserAgent.csrfToken(profile.body);
  if (!csrf) throw new Error(`no CSRF token on the profile page: HTTP ${profile.response.status}`);
  return agent.request(`${appBase}${path}`, { form: { _csrf: csrf } });
}
