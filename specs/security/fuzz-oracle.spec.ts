/**
 * The fuzz oracle itself: it must catch a leak, and never call correct behaviour one (a false alarm would make any
 * run fail at random, as a 50,000-request run once did on the portal's login form showing the email it was sent).
 */
import { describe, expect, it } from 'vitest';
import { type FuzzAnswer, formPost as post, problemsWith } from '../support/fuzz.ts';

const secret = 'a-known-secret-value-of-the-server-0123456789';
const rules = { mayRedirectTo: () => true, base: 'http://127.0.0.1', secrets: () => [secret] };
const page = (body: string): FuzzAnswer => ({ status: 200, location: null, body });

describe('the fuzz oracle', () => {
  it('does not call a value the request carried a leak (the login form shows back its email)', () => {
    const request = post('/portal/login', { email: secret, password: 'x' });
    expect(problemsWith(request, page(`<input name="email" value="${secret}">`), rules)).toEqual([]);
  });

  it('does not call a value carried in a header or in Basic credentials a leak', () => {
    const basic = `Basic ${Buffer.from(`client:${secret}`).toString('base64')}`;
    expect(problemsWith(post('/x', {}, { authorization: basic }), page(secret), rules)).toEqual([]);
    expect(problemsWith(post('/x', {}, { cookie: `s=${secret}` }), page(secret), rules)).toEqual([]);
  });

  it('calls a secret the request did not carry a leak', () => {
    expect(problemsWith(post('/portal/login', { email: 'someone' }), page(`hello ${secret}`), rules)).toEqual(
      [expect.stringContaining('shows a secret it was not sent')],
    );
  });

  it("lets a request carrying a refresh token see its family's access token, and no other request", () => {
    const refreshToken = 'the-family-refresh-token-0123456789';
    const entitled = { ...rules, entitledBy: new Map([[secret, refreshToken]]) };
    const refresh = post('/connect/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(problemsWith(refresh, page(`{"access_token":"${secret}"}`), entitled)).toEqual([]);
    expect(problemsWith(post('/connect/token', {}), page(secret), entitled)).toHaveLength(1);
  });

  it('calls a 5xx and a redirect outside what is registered a problem', () => {
    const request = post('/x', {});
    expect(problemsWith(request, { status: 500, location: null, body: '' }, rules)).toHaveLength(1);
    const strict = { ...rules, mayRedirectTo: () => false };
    expect(
      problemsWith(request, { status: 303, location: 'https://evil.example/', body: '' }, strict),
    ).toHaveLength(1);
  });
});
