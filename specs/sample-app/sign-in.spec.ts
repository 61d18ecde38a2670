/**
 * The sample app's sign-in (hybrid flow, form_post callback), against a scripted identity server (msw): what it
 * sends, what it checks, and a clear page for every way the callback can fail.
 */
// vitest: long-running
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { UserAgent } from '../../harness/user-agent.ts';
import { fakeClient, fakeIssuer, fakeTenant, fakeUser } from '../support/fake-identity-server.ts';
import { useAppUnderTest } from './app-under-test.ts';

const app = useAppUnderTest();

/** The sign-in transaction cookies this browser holds (one per sign-in in progress). */
const transactionCookies = (agent: UserAgent) =>
  [...(agent.cookies.get(new URL(app.url).host)?.keys() ?? [])].filter((name) =>
    /^hck_signin_\d+$/.test(name),
  );

async function startSignIn(returnTo = '/profile') {
  const agent = new UserAgent();
  const login = await agent.request(`${app.url}/login?returnTo=${encodeURIComponent(returnTo)}`);
  return { agent, login, authorizationUrl: login.response.headers.get('location') as string };
}

const postCallback = (agent: UserAgent, fields: Record<string, string>) =>
  agent.request(`${app.url}/callback`, { form: fields });

describe('GET /login', () => {
  it('sends the browser to the authorization endpoint with the hybrid-flow parameters', async () => {
    const { login, authorizationUrl } = await startSignIn();
    expect(login.response.status).toBe(303);
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${fakeIssuer}/connect/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: fakeClient.id,
      redirect_uri: fakeClient.redirectUri,
      response_type: 'code id_token',
      response_mode: 'form_post',
      scope: 'openid profile email ocsapi offline_access',
      code_challenge_method: 'S256',
      acr_values: `tenant:${fakeTenant}`,
    });
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(url.searchParams.get(name)).toMatch(/^[\w-]{22,}$/);
  });

  it('[#form-post-cross-site] keeps state, nonce and verifier in a SameSite=None; Secure; HttpOnly cookie for the callback path only', async () => {
    const { login } = await startSignIn();
    const [cookie] = login.response.headers.getSetCookie();
    expect(cookie).toMatch(/^hck_signin_0=/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=None', 'Path=/callback', 'Max-Age=600']) {
      expect(cookie).toContain(attribute);
    }
    // Encrypted: neither the nonce nor the state can be read from it.
    const nonce = new URL(login.response.headers.get('location') as string).searchParams.get(
      'nonce',
    ) as string;
    expect(cookie).not.toContain(nonce);
  });

  it('gives every sign-in its own state, nonce and cookie (two tabs at once)', async () => {
    const agent = new UserAgent();
    const one = await agent.request(`${app.url}/login`);
    const two = await agent.request(`${app.url}/login`);
    const state = (hop: typeof one) =>
      new URL(hop.response.headers.get('location') as string).searchParams.get('state');
    expect(state(one)).not.toBe(state(two));
    expect(transactionCookies(agent)).toHaveLength(2);
  });

  it('[#sample-sign-in-cookies-bounded] keeps at most four sign-ins in progress, and four tabs all complete', async () => {
    const agent = new UserAgent();
    const tabs = [];
    for (let tab = 0; tab < 4; tab += 1) {
      const login = await agent.request(`${app.url}/login?returnTo=/tab-${tab}`);
      tabs.push(login.response.headers.get('location') as string);
    }
    for (const [tab, authorizationUrl] of tabs.entries()) {
      const callback = await postCallback(agent, await app.fake.callbackFields(authorizationUrl));
      expect(callback.response.headers.get('location')).toBe(`/tab-${tab}`);
    }
  });

  it('[#sample-sign-in-cookies-bounded] replaces the oldest sign-in after four: 100 sign-ins leave four cookies and a readable callback', async () => {
    const agent = new UserAgent();
    const started = [];
    for (let attempt = 0; attempt < 100; attempt += 1)
      started.push((await agent.request(`${app.url}/login`)).response.headers.get('location') as string);
    expect(transactionCookies(agent)).toHaveLength(4);
    expect(agent.cookieHeader(`${app.url}/callback`).length).toBeLessThan(8000);
    // The last four complete; the one before them was replaced.
    expect(
      (await postCallback(agent, await app.fake.callbackFields(started[99] as string))).response.status,
    ).toBe(303);
    const replaced = await postCallback(agent, await app.fake.callbackFields(started[95] as string));
    expect(replaced.body).toContain('This sign-in cannot be completed');
  });

  it('[#sample-sign-in-cookies-bounded] stays bounded when many sign-ins start at once (another site firing them)', async () => {
    const agent = new UserAgent();
    await agent.request(`${app.url}/login`);
    const cookie = agent.cookieHeader(`${app.url}/login`);
    // Forty requests at once all carry the same cookies: they can only fill the same slots.
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${app.url}/login`, { headers: { cookie }, redirect: 'manual' }),
      ),
    );
    const names = new Set(
      answers.flatMap((answer) => answer.headers.getSetCookie().map((header) => header.split('=')[0])),
    );
    expect(
      [...names].filter((name) => name?.startsWith('hck_signin_') && name !== 'hck_signin_next'),
    ).toEqual(['hck_signin_1']);
  });
});

describe('POST /callback', () => {
  it('redeems the code with the client secret and the PKCE verifier, starts a session and returns the user', async () => {
    const { agent, authorizationUrl } = await startSignIn('/namespaces?page=2');
    const callback = await postCallback(agent, await app.fake.callbackFields(authorizationUrl));
    expect(callback.response.status).toBe(303);
    expect(callback.response.headers.get('location')).toBe('/namespaces?page=2');

    const [exchange] = app.fake.tokenRequests;
    expect(exchange?.grantType).toBe('authorization_code');
    expect(exchange?.body.get('redirect_uri')).toBe(fakeClient.redirectUri);
    expect(exchange?.body.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
    // client_secret_basic: id and secret form-urlencoded, joined by a colon, base64 (RFC 6749 2.3.1).
    const basic = Buffer.from((exchange?.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    expect(basic.split(':').map(decodeURIComponent)).toEqual([fakeClient.id, fakeClient.secret]);

    const session = callback.response.headers.getSetCookie().find((cookie) => cookie.startsWith('hck.sid='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(callback.response.headers.getSetCookie().some((cookie) => /^hck_signin_0=;/.test(cookie))).toBe(
      true,
    );
  });

  it('shows the user on the home page and the claims on the profile, never the token values', async () => {
    const agent = await app.signIn();
    const home = await agent.request(`${app.url}/`);
    expect(home.body).toContain(fakeUser.name);
    expect(home.body).toContain(fakeTenant);
    const profile = await agent.request(`${app.url}/profile`);
    expect(profile.body).toContain(fakeUser.sub);
    expect(profile.body).toContain('Held on the server');
    expect(profile.body).not.toMatch(/access-\d+|refresh-\d+|eyJ[\w-]+\./);
  });

  it('starts a new session id at every sign-in (no session fixation)', async () => {
    const agent = await app.signIn();
    const host = new URL(app.url).host;
    const first = agent.cookies.get(host)?.get('hck.sid');
    await app.signIn(agent);
    expect(agent.cookies.get(host)?.get('hck.sid')).not.toBe(first);
  });

  it('[#sample-return-to-local] ignores a returnTo that leaves the app (no open redirect)', async () => {
    for (const returnTo of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      '/.//evil.example',
      '/%2e%2e//evil.example',
      '/a/..//evil.example?q',
    ]) {
      const { agent, authorizationUrl } = await startSignIn(returnTo);
      const callback = await postCallback(agent, await app.fake.callbackFields(authorizationUrl));
      expect(callback.response.headers.get('location')).toBe('/');
    }
  });

  it('[#sample-callback-once] redeems the code once when the same callback is delivered twice at once', async () => {
    const { agent, authorizationUrl } = await startSignIn('/namespaces');
    const fields = await app.fake.callbackFields(authorizationUrl);
    const cookie = agent.cookieHeader(`${app.url}/callback`);
    const deliver = () =>
      fetch(`${app.url}/callback`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    const answers = await Promise.all([deliver(), deliver()]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expect(answers.map((answer) => answer.headers.get('location'))).toEqual(['/namespaces', '/namespaces']);
    expect(
      app.fake.tokenRequests.filter((request) => request.grantType === 'authorization_code'),
    ).toHaveLength(1);
    const sessions = answers.filter((answer) =>
      answer.headers.getSetCookie().some((header) => header.startsWith('hck.sid=')),
    );
    expect(sessions).toHaveLength(1);
  });

  it('refuses a callback without the sign-in cookie (expired, completed, or another browser)', async () => {
    const { authorizationUrl } = await startSignIn();
    const hop = await postCallback(new UserAgent(), await app.fake.callbackFields(authorizationUrl));
    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('This sign-in cannot be completed');
    expect(app.fake.tokenRequests).toHaveLength(0);
  });

  it('refuses a callback whose state belongs to no sign-in of this browser', async () => {
    const { agent, authorizationUrl } = await startSignIn();
    const fields = await app.fake.callbackFields(authorizationUrl);
    const hop = await postCallback(agent, { ...fields, state: 'forged-state' });
    expect(hop.response.status).toBe(400);
    expect(app.fake.tokenRequests).toHaveLength(0);
  });

  // Forged id_tokens (c_hash, nonce, aud, expiry, signature, kid, alg...) are refused through the real mock's
  // scenarios: specs/sample-app/scenarios.spec.ts.

  it('refuses an id_token that is not even well formed with a 400 page, not an error (found by the fuzz spec)', async () => {
    const { agent, authorizationUrl } = await startSignIn();
    const fields = await app.fake.callbackFields(authorizationUrl);
    const hop = await postCallback(agent, { ...fields, id_token: `${fields.id_token}?x=1` });
    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('could not be verified');
    expect(app.fake.tokenRequests).toHaveLength(0);
  });

  // access_denied and login_required come from the real mock's scenarios (scenarios.spec.ts); these two the mock
  // never sends by form_post on purpose.
  it.each([
    ['consent_required', 'agree to what this app asks for'],
    ['server_error', 'The identity server refused the sign-in'],
  ])('turns error=%s from the identity server into a page that says what to do', async (error, text) => {
    const { agent, authorizationUrl } = await startSignIn();
    const state = new URL(authorizationUrl).searchParams.get('state') as string;
    const hop = await postCallback(agent, { error, error_description: 'described', state, iss: fakeIssuer });
    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain(text);
    expect(hop.body).toContain('href="/login');
  });

  // 400 without a challenge (IdentityServer, Data Hub) is the real mock's invalid_client scenario.
  it.each([
    ['401 without a challenge', 401, {}],
    [
      '401 with a Basic challenge (RFC 6749 5.2)',
      401,
      { 'www-authenticate': `Basic realm="${fakeIssuer}", error="invalid_client"` },
    ],
  ])(
    '[#sample-invalid-client-page] says which settings to check when the secret is refused: %s',
    async (_case, status, headers) => {
      app.msw.use(
        http.post(`${fakeIssuer}/connect/token`, () =>
          HttpResponse.json({ error: 'invalid_client' }, { status, headers }),
        ),
      );
      const { agent, authorizationUrl } = await startSignIn();
      const hop = await postCallback(agent, await app.fake.callbackFields(authorizationUrl));
      expect(hop.response.status).toBe(502);
      expect(hop.body).toContain('did not accept this app&#39;s credentials');
      expect(hop.body).toContain('CLIENT_SECRET');
    },
  );

  // invalid_grant at the code exchange, and a token endpoint slower than the app waits, are the real mock's
  // invalid_grant and slow scenarios (scenarios.spec.ts).

  it.each([
    [
      'an HTML error page',
      () =>
        new HttpResponse('<html>Bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    ],
    ['JSON without an access token', () => HttpResponse.json({ token_type: 'Bearer' })],
  ])('shows a page, not a crash, for %s from the token endpoint', async (_case, answer) => {
    app.msw.use(http.post(`${fakeIssuer}/connect/token`, answer));
    const { agent, authorizationUrl } = await startSignIn();
    const hop = await postCallback(agent, await app.fake.callbackFields(authorizationUrl));
    expect(hop.response.status).toBeGreaterThanOrEqual(400);
    expect(hop.response.status).not.toBe(500);
    expect(hop.body).toContain('href="/login');
    expect(hop.body).not.toMatch(/at .+\.ts:\d+/);
  });

  it('refuses an oversized callback body with a page', async () => {
    const { agent } = await startSignIn();
    const hop = await postCallback(agent, { state: 'x', code: 'c'.repeat(100_000) });
    expect(hop.response.status).toBe(413);
    expect(hop.response.headers.get('content-type')).toMatch(/text\/html/);
  });
});
