/**
 * Thousands of malformed, oversized and hostile requests at every route of the sample app, with a real signed-in
 * session, a sign-in in progress and the mock behind it. Every answer: no 5xx, no hang, no redirect anywhere but
 * the app itself or the identity server with the registered redirect and logout URIs, and no secret or token in a
 * page or a log line.
 */
// vitest: long-running
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { endpointPaths } from '../../mock-idp/src/index.ts';
import {
  captureLogs,
  describeTally,
  dotSegmentPath,
  formPost,
  fuzzRequest,
  fuzzRuns,
  fuzzTimeLimit,
  getRequest,
  hostileRequestCount,
  hostileString,
  problemsWith,
  rawGarbage,
  send,
  sendRaw,
  tally,
  type Vocabulary,
} from '../support/fuzz.ts';

const runs = hostileRequestCount;
const sessionSecret = 'a-session-secret-for-the-fuzz-spec-only';
let kit: RunningKit;
let vocabulary: Vocabulary;
let secrets: string[];
const logs = captureLogs();
const statuses = new Map<number, number>();

beforeAll(async () => {
  kit = await startKit({ env: { SESSION_SECRET: sessionSecret } });
  const app = kit.app.listening;
  const signedIn = await signInThroughApp(app, alice);
  // A sign-in left half-way: the transaction cookie is set and the identity server has answered with a code.
  const pending = new UserAgent();
  const login = await pending.request(`${app}/login`);
  const { response } = await pending.signIn(login.response.headers.get('location') as string, alice);
  const profile = await signedIn.request(`${app}/profile`);
  const csrf = UserAgent.csrfToken(profile.body) ?? 'none';
  const sessionId = signedIn.cookie(app, 'hck.sid') ?? 'none';

  secrets = [kit.client.secret, sessionSecret, alice.password, sessionId];
  vocabulary = {
    paths: [
      '/',
      '/login',
      '/callback',
      '/profile',
      '/namespaces',
      '/refresh',
      '/logout',
      '/signed-out',
      '/how-it-worked',
      '/assets/app.css',
    ],
    parameterNames: [
      'returnTo',
      'state',
      'code',
      'id_token',
      'iss',
      'error',
      'error_description',
      'session_state',
      '_csrf',
    ],
    knownValues: [
      ...Object.values(response.fields),
      csrf,
      '/profile',
      '/namespaces',
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'access_denied',
      'consent_required',
      'login_required',
      kit.idp.issuer,
    ],
    cookies: [
      signedIn.cookieHeader(app),
      pending.cookieHeader(app),
      `${signedIn.cookieHeader(app)}; ${pending.cookieHeader(app)}`,
    ],
    authorizations: [`Basic ${Buffer.from(`${kit.client.id}:${kit.client.secret}`).toString('base64')}`],
    templates: [
      getRequest('/login', [['returnTo', '/profile']]),
      formPost('/callback', response.fields, { cookie: pending.cookieHeader(app) }),
      formPost(
        '/refresh',
        { _csrf: csrf },
        { cookie: signedIn.cookieHeader(app), origin: new URL(app).origin },
      ),
      formPost(
        '/logout',
        { _csrf: csrf },
        { cookie: signedIn.cookieHeader(app), origin: new URL(app).origin },
      ),
      getRequest('/signed-out', [['state', 'xyz']], { cookie: 'hck_signout_state=xyz' }),
      getRequest('/signed-out', [['state', 'xyz']], {
        cookie: 'hck_signout_state=xyz; hck_signout_steps=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z',
      }),
      getRequest('/how-it-worked', [], { cookie: signedIn.cookieHeader(app) }),
      getRequest('/namespaces', [], { cookie: signedIn.cookieHeader(app) }),
      getRequest('/profile', [], { cookie: signedIn.cookieHeader(app) }),
    ],
  };
});

afterAll(async () => {
  logs.restore();
  console.log(`fuzz: sample app, ${runs} hostile requests: ${describeTally(statuses)}`);
  await kit?.close();
});

/** The app itself, or the identity server's authorize and end-session endpoints with the registered URIs. */
function mayRedirectTo(target: URL): boolean {
  if (target.origin === new URL(kit.app.listening).origin || target.origin === new URL(kit.appUrl).origin)
    return true;
  const identity = new URL(kit.idp.issuer);
  if (target.origin !== identity.origin) return false;
  const redirect = target.searchParams.get('redirect_uri');
  const logout = target.searchParams.get('post_logout_redirect_uri');
  return (
    (target.pathname === identity.pathname + endpointPaths.authorize &&
      redirect === kit.client.redirectUri) ||
    (target.pathname === identity.pathname + endpointPaths.endSession &&
      logout === kit.client.postLogoutRedirectUri)
  );
}

describe('fuzzing the sample app', () => {
  it(
    `answers ${runs} hostile requests at every route with no 5xx, no hang, no open redirect and no leaked secret`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(vocabulary), async (request) => {
          const answer = await send(kit.app.listening, request);
          tally(statuses, answer.status);
          expect(
            problemsWith(request, answer, { mayRedirectTo, base: kit.app.listening, secrets: () => secrets }),
          ).toEqual([]);
        }),
        fuzzRuns(runs),
      );
      const logged = logs.text();
      expect(secrets.filter((secret) => logged.includes(secret))).toEqual([]);
    },
    fuzzTimeLimit(runs, 30),
  );

  it(
    'sends the user only to a path of the app after a complete sign-in, whatever returnTo asked for',
    async () => {
      const browser = new UserAgent();
      const app = kit.app.listening;
      const returnTo = fc.oneof(
        hostileString(['/profile', '/namespaces?x=1', '//evil.example', '/\\evil.example', kit.idp.issuer]),
        dotSegmentPath,
      );
      await fc.assert(
        fc.asyncProperty(returnTo, async (asked) => {
          browser.cookies.delete(new URL(app).host);
          const login = await browser.request(
            `${app}/login?returnTo=${encodeURIComponent(Buffer.from(asked).toString())}`,
          );
          // A URL longer than Node accepts is refused before the app sees it (431).
          if (login.response.status === 431) return;
          const { response } = await browser.signIn(login.response.headers.get('location') as string, alice);
          const callback = await browser.request(`${app}/callback`, { form: response.fields });
          expect(callback.response.status).toBe(303);
          const target = new URL(callback.response.headers.get('location') as string, app);
          expect(target.origin).toBe(new URL(app).origin);
        }),
        fuzzRuns(Math.ceil(runs / 10)),
      );
    },
    fuzzTimeLimit(runs / 10, 150),
  );

  it(
    'answers bytes that are not HTTP with a 4xx or a closed connection, and keeps serving',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawGarbage(), async (bytes) => {
          expect(await sendRaw(kit.app.listening, bytes)).not.toMatch(/^HTTP\/1\.1 5/);
        }),
        fuzzRuns(Math.ceil(runs / 20)),
      );
      expect((await fetch(`${kit.app.listening}/`)).status).toBe(200);
    },
    fuzzTimeLimit(runs / 20, 200),
  );
});
