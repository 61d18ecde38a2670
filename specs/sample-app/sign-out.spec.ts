/**
 * Sign-out: a POST protected from cross-site requests ends the local session and sends the browser to the
 * end-session endpoint with id_token_hint, post_logout_redirect_uri and state; the signed-out page checks state.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { UserAgent } from '../../harness/user-agent.ts';
import { fakeClient, fakeIssuer } from '../support/fake-identity-server.ts';
import { useAppUnderTest } from './app-under-test.ts';

const app = useAppUnderTest();

async function csrfTokenOf(agent: UserAgent) {
  const page = await agent.request(`${app.url}/profile`);
  return UserAgent.csrfToken(page.body) ?? '';
}

describe('POST /logout', () => {
  it('ends the session and redirects to the end-session endpoint with id_token_hint, logout URL and state', async () => {
    const agent = await app.signIn();
    const hop = await agent.request(`${app.url}/logout`, { form: { _csrf: await csrfTokenOf(agent) } });
    expect(hop.response.status).toBe(303);
    const location = new URL(hop.response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(`${fakeIssuer}/connect/endsession`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(fakeClient.postLogoutRedirectUri);
    expect(location.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{16,}$/);

    const profile = await agent.request(`${app.url}/profile`);
    expect(profile.response.status).toBe(303);
    expect(profile.response.headers.get('location')).toContain('/login');
  });

  it.each<[string, Record<string, string>]>([
    ['without the form token', {}],
    ['with a wrong form token', { _csrf: 'wrong' }],
  ])('refuses a sign-out %s, and the user stays signed in', async (_case, form) => {
    const agent = await app.signIn();
    const hop = await agent.request(`${app.url}/logout`, { form });
    expect(hop.response.status).toBe(403);
    expect((await agent.request(`${app.url}/profile`)).response.status).toBe(200);
  });

  it('refuses a sign-out posted from another site, even with the right token', async () => {
    const agent = await app.signIn();
    const csrf = await csrfTokenOf(agent);
    const cookie = agent.cookieHeader(app.url);
    const response = await fetch(`${app.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(response.status).toBe(403);
  });
});

describe('revoking the refresh token at sign-out', () => {
  // That the refresh token is revoked (and nothing when there is none) is proven against the real mock:
  // sign-out-revocation.spec.ts.

  it.each([
    ['answers 503', () => new HttpResponse('busy', { status: 503 })],
    ['cannot be reached', () => HttpResponse.error()],
  ])(
    '[#sample-revokes-at-sign-out] signs the user out all the same when the revocation endpoint %s',
    async (_case, answer) => {
      app.msw.use(http.post(`${fakeIssuer}/connect/revocation`, answer));
      const agent = await app.signIn();
      const hop = await agent.request(`${app.url}/logout`, { form: { _csrf: await csrfTokenOf(agent) } });
      expect(hop.response.status).toBe(303);
      expect(hop.response.headers.get('location')).toContain('/connect/endsession');
      expect((await agent.request(`${app.url}/profile`)).response.status).toBe(303);
    },
  );
});

describe('GET /signed-out', () => {
  it('confirms the sign-out when the state matches the one this browser sent', async () => {
    const agent = await app.signIn();
    const hop = await agent.request(`${app.url}/logout`, { form: { _csrf: await csrfTokenOf(agent) } });
    const state = new URL(hop.response.headers.get('location') as string).searchParams.get('state') as string;
    const page = await agent.request(`${app.url}/signed-out?state=${encodeURIComponent(state)}`);
    expect(page.response.status).toBe(200);
    expect(page.body).toContain('You are signed out');
    expect(page.body).not.toContain('state did not match');
  });

  it.each([
    ['a different state', 'forged'],
    ['no state', ''],
    ['a state of another character set', 'ü'.repeat(22)],
  ])('warns when the page is reached with %s', async (_case, state) => {
    const agent = await app.signIn();
    await agent.request(`${app.url}/logout`, { form: { _csrf: await csrfTokenOf(agent) } });
    const page = await agent.request(`${app.url}/signed-out?state=${encodeURIComponent(state)}`);
    expect(page.response.status).toBe(200);
    expect(page.body).toContain('state did not match');
  });
});
