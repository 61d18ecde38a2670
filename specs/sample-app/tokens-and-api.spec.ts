/**
 * The sample app with a signed-in user: the profile, the Data Hub API call with the access token, refresh
 * shortly before expiry, on a 401 (once), and on demand, and what the user sees when any of it fails.
 */
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { UserAgent } from '../../harness/user-agent.ts';
import { fakeApi, fakeIssuer } from '../support/fake-identity-server.ts';
import { useAppUnderTest } from './app-under-test.ts';

const app = useAppUnderTest({ REFRESH_BEFORE_EXPIRY_SECONDS: '60' });
const namespacesApi = `${fakeApi}/api/v1/Tenants/:tenant/Namespaces`;

const refreshes = () => app.fake.tokenRequests.filter((request) => request.grantType === 'refresh_token');

async function refreshNow(agent: UserAgent) {
  const profile = await agent.request(`${app.url}/profile`);
  const csrf = UserAgent.csrfToken(profile.body) ?? '';
  return agent.request(`${app.url}/refresh`, { form: { _csrf: csrf } });
}

describe('calling the Data Hub API', () => {
  it('lists the namespaces with the bearer access token', async () => {
    const agent = await app.signIn();
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.response.status).toBe(200);
    expect(page.body).toContain('alpha');
    expect(page.body).toContain('Second namespace');
    expect(app.fake.apiCalls).toEqual([expect.stringMatching(/^Bearer access-\d+$/)]);
    expect(refreshes()).toHaveLength(0);
  });

  it('refreshes once and retries when the API answers 401', async () => {
    const agent = await app.signIn();
    let calls = 0;
    app.msw.use(
      http.get(namespacesApi, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ Reason: 'token revoked' }, { status: 401 })
          : HttpResponse.json([{ Id: 'after-refresh' }]);
      }),
    );
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.body).toContain('after-refresh');
    expect(refreshes()).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('does not loop when the API keeps answering 401', async () => {
    const agent = await app.signIn();
    app.msw.use(http.get(namespacesApi, () => HttpResponse.json({ Reason: 'nope' }, { status: 401 })));
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.response.status).toBe(502);
    expect(page.body).toContain('did not accept the access token');
    expect(refreshes()).toHaveLength(1);
  });

  it.each([
    [
      '403 for another tenant',
      () => HttpResponse.json({ Reason: 'Forbidden tenant' }, { status: 403 }),
      'may not read tenant',
    ],
    ['a 500', () => HttpResponse.json({ Reason: 'Internal' }, { status: 500 }), 'answered 500'],
    ['something that is not a list', () => HttpResponse.json({ hello: 'world' }), 'not a list of namespaces'],
    ['a network failure', () => HttpResponse.error(), 'could not be reached'],
  ])('shows a readable problem for %s, and keeps the session', async (_case, answer, text) => {
    const agent = await app.signIn();
    app.msw.use(http.get(namespacesApi, answer));
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.response.status).toBe(502);
    expect(page.body).toContain(text);
    expect((await agent.request(`${app.url}/profile`)).response.status).toBe(200);
  });

  it('gives up on an API that does not answer in time', async () => {
    const agent = await app.signIn();
    app.msw.use(
      http.get(namespacesApi, async () => {
        await delay(3000);
        return HttpResponse.json([]);
      }),
    );
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.body).toContain('did not answer within 1 s');
  });
});

describe('refreshing the access token', () => {
  it('refreshes shortly before expiry, before calling the API, and rotates the refresh token', async () => {
    const agent = await app.signIn();
    app.clock.advance(3600 - 59);
    const page = await agent.request(`${app.url}/namespaces`);
    expect(page.response.status).toBe(200);
    const [refresh] = refreshes();
    expect(refresh?.body.get('refresh_token')).toMatch(/^refresh-\d+$/);
    // The API was called with the new access token, not the one from sign-in.
    expect(app.fake.issuedAccessTokens).toHaveLength(2);
    expect(app.fake.apiCalls).toEqual([`Bearer ${app.fake.issuedAccessTokens[1]}`]);

    // The next refresh uses the rotated refresh token, not the first one.
    app.clock.advance(3600 - 59);
    await agent.request(`${app.url}/namespaces`);
    const [, second] = refreshes();
    expect(second?.body.get('refresh_token')).not.toBe(refresh?.body.get('refresh_token'));
  });

  it('does not refresh while the token has more than the margin left', async () => {
    const agent = await app.signIn();
    app.clock.advance(3600 - 61);
    await agent.request(`${app.url}/namespaces`);
    expect(refreshes()).toHaveLength(0);
  });

  it('refreshes once for concurrent requests (a rotated refresh token must not be used twice)', async () => {
    const agent = await app.signIn();
    app.clock.advance(3590);
    const pages = await Promise.all(Array.from({ length: 5 }, () => agent.request(`${app.url}/namespaces`)));
    expect(pages.map((page) => page.response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refreshes()).toHaveLength(1);
  });

  it('"Refresh now" refreshes and says so on the profile', async () => {
    const agent = await app.signIn();
    const refreshed = await refreshNow(agent);
    expect(refreshed.response.status).toBe(303);
    const profile = await agent.request(`${app.url}/profile`);
    expect(profile.body).toContain('The access token was refreshed.');
    expect(profile.body).toContain('Last refreshed');
    expect(refreshes()).toHaveLength(1);
  });

  // An expired or revoked refresh token (invalid_grant) is the real mock's refresh-invalid_grant scenario:
  // specs/sample-app/scenarios.spec.ts.

  it('keeps the session when the identity server is unreachable during a refresh', async () => {
    const agent = await app.signIn();
    app.msw.use(http.post(`${fakeIssuer}/connect/token`, () => HttpResponse.error()));
    const page = await refreshNow(agent);
    expect(page.response.status).toBe(503);
    expect(page.body).toContain('cannot be reached');
    app.msw.resetHandlers();
    expect((await agent.request(`${app.url}/profile`)).response.status).toBe(200);
  });

  it('refuses "Refresh now" without the form token, or from another site', async () => {
    const agent = await app.signIn();
    expect((await agent.request(`${app.url}/refresh`, { form: {} })).response.status).toBe(403);
    expect((await agent.request(`${app.url}/refresh`, { form: { _csrf: 'guess' } })).response.status).toBe(
      403,
    );
    expect(refreshes()).toHaveLength(0);
  });
});

describe('a client without refresh tokens', () => {
  it('says so on the profile, and signs in again once the access token has expired (no error page)', async () => {
    app.fake.settings = { refreshTokens: false, accessTokenLifetime: 60 };
    const agent = await app.signIn();
    const profile = await agent.request(`${app.url}/profile`);
    expect(profile.body).toContain('This client is not allowed refresh tokens');
    expect(profile.body).not.toContain('Refresh now');

    // Inside the margin but not expired: the token is still used, since it cannot be refreshed.
    app.clock.advance(30);
    expect((await agent.request(`${app.url}/namespaces`)).response.status).toBe(200);

    app.clock.advance(31);
    const expired = await agent.request(`${app.url}/namespaces`);
    expect(expired.response.status).toBe(303);
    expect(expired.response.headers.get('location')).toBe('/login?returnTo=%2Fnamespaces');
    expect(refreshes()).toHaveLength(0);
  });
});
