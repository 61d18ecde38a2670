/**
 * `npm run native-app` (or `npm start` in native-app/): signs a user in through the system browser and a loopback
 * redirect, shows who signed in, lists the tenant's namespaces with the access token, refreshes it with the
 * refresh token, and signs out (revokes the refresh token, then ends the session at the identity server).
 * `--no-browser` prints the address instead of opening it; `--refresh` refreshes the access token (it is refreshed
 * anyway when it has less than a minute left); `--keep` keeps the refresh token for the next run
 * (owner-only file) instead of signing out, and the next run signs in with it, no browser; `--forget` revokes and
 * removes it. Settings come from the environment and native-app/.env.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import { helpText, readCommandLine } from './command-line.ts';
import { ConfigError, loadConfig, type NativeAppConfig } from './config.ts';
import {
  authorizationUrl,
  discover,
  endSessionUrl,
  newSignInChecks,
  redeem,
  refresh,
  revoke,
  userInfo,
} from './identity-server.ts';
import { awaitLoopbackVisit, LoopbackError } from './loopback.ts';
import { forgetSignIn, keepSignIn, readKeptSignIn } from './token-file.ts';

const envFile = fileURLToPath(new URL('../.env', import.meta.url));
if (existsSync(envFile)) process.loadEnvFile(envFile);
const commandLine = readCommandLine(process.argv.slice(2));
if (commandLine.kind === 'help') {
  console.log(helpText);
  process.exit(0);
}
if (commandLine.kind === 'problem') {
  console.error(`native-app: ${commandLine.line}`);
  process.exit(2);
}
const { flags } = commandLine;

/** Opens the system browser, or leaves the printed address to the user when there is none. */
function open(url: URL): void {
  if (!flags.openBrowser) return;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url.href]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url.href]]
        : ['xdg-open', [url.href]];
  spawn(command, args, { stdio: 'ignore', detached: true })
    .on('error', () => console.log('(no browser could be opened: open the address above yourself)'))
    .unref();
}

/**
 * Sends the user to `url` and waits for the identity server to send them back to `address` with this `state`
 * (an answer with another is not this round trip's, and is waited past).
 */
async function browserRoundTrip(
  url: URL,
  address: URL,
  method: 'POST' | 'GET',
  state: string,
  config: NativeAppConfig,
) {
  const belongs = (params: URLSearchParams) => params.get('state') === state;
  return awaitLoopbackVisit(address, url, method, config.signInTimeoutSeconds, belongs, (start) => {
    console.log(`Open this address in a browser, if it does not open by itself:\n  ${start.href}\n`);
    open(start);
  });
}

/** Text from outside (a user's name, an email) as the terminal shows it: no control or format characters (bidi). */
const printable = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, '');

/** An access token with less left than this is refreshed before it is used. */
const refreshBeforeExpirySeconds = 60;

const minutesFrom = (seconds: number) => `in ${Math.round(seconds / 60)} minute(s)`;

async function listNamespaces(config: NativeAppConfig, accessToken: string): Promise<void> {
  const response = await fetch(`${config.apiBaseUrl}/api/v1/Tenants/${config.tenantId}/Namespaces`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok) throw new Error(`the Data Hub API answered HTTP ${response.status} for the namespaces`);
  const namespaces = (await response.json()) as { Id: string }[];
  console.log(`Namespaces: ${namespaces.map((namespace) => namespace.Id).join(', ') || '(none)'}`);
}

/** A browser sign-in: the authorization request, the form_post to the loopback address, the code exchange. */
async function signIn(configuration: client.Configuration, config: NativeAppConfig) {
  const checks = newSignInChecks();
  const answer = await browserRoundTrip(
    await authorizationUrl(configuration, config, checks),
    config.redirectUri,
    'POST',
    checks.state,
    config,
  );
  if (answer.get('error') === 'access_denied')
    throw new Error('the sign-in was cancelled in the browser (access_denied)');
  const tokens = await redeem(configuration, config, answer, checks);
  const subject = tokens.claims()?.sub as string;
  const user = await userInfo(configuration, tokens.access_token, subject);
  console.log(
    `Signed in: ${printable(String(user.name ?? subject))} (${printable(String(user.email ?? 'no email'))}), tenant ${config.tenantId}; the access token ` +
      `expires ${minutesFrom(tokens.expiresIn() ?? 0)}` +
      `${tokens.refresh_token ? '; a refresh token was issued' : '; no refresh token (offline_access not granted)'}`,
  );
  return { tokens, subject };
}

/** Ends the session at the identity server, through the browser, and checks the state it brings back. */
async function signOutInBrowser(
  configuration: client.Configuration,
  config: NativeAppConfig,
  idToken?: string,
) {
  const state = client.randomState();
  const back = await browserRoundTrip(
    endSessionUrl(configuration, config, idToken, state),
    config.postLogoutRedirectUri,
    'GET',
    state,
    config,
  );
  if (back.get('state') !== state) throw new Error('the sign-out answer did not carry this sign-out’s state');
  console.log('Signed out.');
}

async function run(config: NativeAppConfig): Promise<void> {
  const configuration = await discover(config);
  const kept = await readKeptSignIn(config.tokenFile);
  if (flags.forget) {
    if (kept) await revoke(configuration, kept.refreshToken);
    await forgetSignIn(config.tokenFile);
    console.log(
      kept ? 'Forgot the kept sign-in: its refresh token is revoked and its file removed.' : 'Nothing kept.',
    );
    return;
  }

  // A kept sign-in is used without a browser: its refresh token gives a new access token (and the next refresh
  // token: they rotate). Otherwise, a browser sign-in.
  let refreshToken: string | undefined;
  let idToken: string | undefined;
  let subject: string;
  if (kept) {
    const refreshed = await refresh(configuration, kept.refreshToken);
    ({ subject, idToken } = kept);
    refreshToken = refreshed.refresh_token ?? kept.refreshToken;
    console.log(
      `Signed in with the kept refresh token; the new access token expires ${minutesFrom(refreshed.expires_in ?? 0)}`,
    );
    await listNamespaces(config, refreshed.access_token);
  } else {
    const signedIn = await signIn(configuration, config);
    ({ subject } = signedIn);
    idToken = signedIn.tokens.id_token;
    await listNamespaces(config, signedIn.tokens.access_token);
    refreshToken = signedIn.tokens.refresh_token;
    // Refreshed when asked (--refresh), or when the access token is about to expire before the work is done.
    const expiresSoon = (signedIn.tokens.expiresIn() ?? 0) < refreshBeforeExpirySeconds;
    if (refreshToken && (flags.refresh || expiresSoon)) {
      const refreshed = await refresh(configuration, refreshToken);
      refreshToken = refreshed.refresh_token ?? refreshToken;
      console.log(`Refreshed: the new access token expires ${minutesFrom(refreshed.expires_in ?? 0)}`);
      await listNamespaces(config, refreshed.access_token);
    }
  }

  if (flags.keep && refreshToken) {
    await keepSignIn(config.tokenFile, { refreshToken, subject, ...(idToken && { idToken }) });
    console.log(
      `Kept the sign-in for the next run in ${config.tokenFile} (owner-only); --forget removes it.`,
    );
    return;
  }
  if (refreshToken) await revoke(configuration, refreshToken);
  await forgetSignIn(config.tokenFile);
  console.log('Signing out: the refresh token is revoked; now the session at the identity server.');
  await signOutInBrowser(configuration, config, idToken);
}

/** One line for each failure a user can meet; the details stay out (they can hold token responses). */
function explain(error: unknown, config: NativeAppConfig): string {
  if (error instanceof ConfigError || error instanceof LoopbackError) return error.message;
  if (error instanceof client.ResponseBodyError && error.error === 'invalid_client')
    return 'the identity server did not accept the client id and secret (invalid_client): check CLIENT_ID and CLIENT_SECRET';
  // openid-client's message is general; the check that failed, or the network error, is in its cause.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof TypeError && cause?.code === 'ECONNREFUSED')
    return `the identity server at ${config.issuer.href} cannot be reached`;
  return (error as Error).message ?? String(error);
}

let config: NativeAppConfig | undefined;
try {
  config = loadConfig(process.env);
  await run(config);
} catch (error) {
  console.error(`native-app: ${config ? explain(error, config) : (error as Error).message}`);
  // Settings that cannot work are bad input (exit 2, as an unknown flag is); a failed sign-in is exit 1.
  process.exitCode = config ? 1 : 2;
}
