/**
 * The native app as its specs run it: the mock, seeded from the kit's seed with the native demo client registered
 * at a free loopback port (so a user's own run on 54567 is never in the way), and the app started against it,
 * printing its addresses instead of opening a browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kit.ts';
import { kitSeed, nativeClient } from './kit-seed.ts';
import { startTestIdp, type TestIdp } from './mock-idp.ts';
import { type Started, startTypeScript } from './processes.ts';
import type { UserAgent } from './user-agent.ts';

export interface NativeAppBench {
  idp: TestIdp;
  /** http://127.0.0.1:{port}: where the app listens. */
  loopback: string;
  /** Where the app keeps a sign-in between runs (--keep): a temporary folder, never the user's home. */
  tokenFile: string;
  start(env?: Record<string, string>, args?: string[]): Started;
  /** Stops every app started so far. */
  stopApps(): Promise<void>;
  /** Stops the apps, and the mock. */
  close(): Promise<void>;
}

export async function nativeAppBench(): Promise<NativeAppBench> {
  const loopback = `http://127.0.0.1:${await freePort()}`;
  const client = {
    ...nativeClient,
    redirectUris: [`${loopback}/signin-oidc`],
    postLogoutRedirectUris: [`${loopback}/signout-callback-oidc`],
  };
  const hybridClients = kitSeed.hybridClients.map((each) => (each.id === client.id ? client : each));
  const idp = await startTestIdp({ seed: { ...kitSeed, hybridClients } });
  const tokenFolder = await mkdtemp(join(tmpdir(), 'native-app-'));
  const tokenFile = join(tokenFolder, 'sign-in.json');
  const started: Started[] = [];
  const stopApps = async () => {
    await Promise.all(started.splice(0).map((app) => app.stop()));
  };
  return {
    idp,
    loopback,
    tokenFile,
    start(env = {}, args = []) {
      const app = startTypeScript('native-app/src/main.ts', ['--no-browser', ...args], {
        TOKEN_FILE: tokenFile,
        ISSUER_URL: idp.issuer,
        API_BASE_URL: idp.origin,
        REDIRECT_URI: `${loopback}/signin-oidc`,
        POST_LOGOUT_REDIRECT_URI: `${loopback}/signout-callback-oidc`,
        ...env,
      });
      started.push(app);
      return app;
    },
    stopApps,
    async close() {
      await stopApps();
      await idp.dispose();
      await rm(tokenFolder, { recursive: true, force: true });
    },
  };
}

/**
 * The `nth` local address the app printed (a one-time /start/… for each browser round trip: the sign-in's first,
 * the sign-out's next), once it listens.
 */
export async function printedAddress(app: Started, nth = 1): Promise<string> {
  const pattern = new RegExp(`(?:[\\s\\S]*?\\n\\s+(http\\S+/start/\\S+)\\n){${nth}}`);
  const [, start = ''] = await app.waitFor(pattern);
  return start;
}

/** Where the printed address sends a browser: the identity server's authorize URL. */
export async function signInUrlOf(app: Started, browser: UserAgent): Promise<string> {
  return (await browser.request(await printedAddress(app))).response.headers.get('location') as string;
}
