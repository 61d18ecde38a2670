/**
 * Rule: the user is always signed out; `post_logout_redirect_uri` is honoured only with a valid id_token_hint
 * for that client and an exactly registered Allowed Logout Redirect URL, with `state` echoed. Otherwise a
 * signed-out page and no redirect.
 * OpenID Foundation: oidcc-rp-initiated-logout, oidcc-rp-initiated-logout-bad-post-logout-redirect-uri,
 * oidcc-rp-initiated-logout-no-post-logout-redirect-uri, oidcc-rp-initiated-logout-bad-id-token-hint,
 * oidcc-rp-initiated-logout-no-state.
 */
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, signInForTokens } from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { offlineClient, otherTenantClient } from '../support/test-seed.ts';
import { UserAgent } from '../support/user-agent.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

async function signOut(params: Record<string, string | undefined>) {
  const { front, tokens } = await signInForTokens(idp);
  const url = new URL(`${idp.issuer}/connect/endsession`);
  const all: Record<string, string | undefined> = {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: offlineClient.postLogoutRedirectUri,
    state: 'logout-state',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
  const hop = await front.agent.request(url.href);
  return { hop, agent: front.agent, tokens };
}

async function expectSignedOutPageWithoutRedirect(params: Record<string, string | undefined>) {
  const { hop, agent } = await signOut(params);
  expect(hop.response.status).toBe(200);
  expect(hop.response.headers.get('location')).toBeNull();
  expect(hop.body).toContain('You are signed out');
  expect(hop.body).not.toContain('app.example.com');
  expect(agent.cookie(idp.issuer, 'mockidp_session')).toBeUndefined();
  // Signed out for real: the next sign-in shows the login page again.
  const again = await agent.navigate(authorizationUrl(idp, offlineClient));
  expect(again.body).toContain('name="password"');
}

describe('[#logout-redirect-registered] [#logout-state] oidcc-rp-initiated-logout', () => {
  it('redirects to the registered logout URL with state, and ends the session', async () => {
    const { hop, agent } = await signOut({});
    expect(hop.response.status).toBe(303);
    expect(hop.response.headers.get('location')).toBe(
      `${offlineClient.postLogoutRedirectUri}?state=logout-state`,
    );
    const again = await agent.navigate(authorizationUrl(idp, offlineClient));
    expect(again.body).toContain('name="password"');
  });

  it('oidcc-rp-initiated-logout-no-state: redirects without state when none is given', async () => {
    const { hop } = await signOut({ state: undefined });
    expect(hop.response.headers.get('location')).toBe(offlineClient.postLogoutRedirectUri);
  });

  it('accepts an id_token_hint that has expired (logout comes long after sign-in)', async () => {
    const { tokens, agent } = await signOut({ post_logout_redirect_uri: undefined });
    idp.clock.advance(3600);
    const url = `${idp.issuer}/connect/endsession?${new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: offlineClient.postLogoutRedirectUri,
    })}`;
    expect((await agent.request(url)).response.headers.get('location')).toBe(
      offlineClient.postLogoutRedirectUri,
    );
  });

  it('accepts POST as well as GET', async () => {
    const { tokens } = await signInForTokens(idp);
    const hop = await new UserAgent().request(`${idp.issuer}/connect/endsession`, {
      form: {
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: offlineClient.postLogoutRedirectUri,
        state: 'p',
      },
    });
    expect(hop.response.headers.get('location')).toBe(`${offlineClient.postLogoutRedirectUri}?state=p`);
  });
});

describe('[#logout-redirect-registered] oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: no redirect to what is not registered', () => {
  it.each([
    ['an unregistered URL', 'https://attacker.example/bye'],
    ['a query added', `${offlineClient.postLogoutRedirectUri}?x=1`],
    ['a trailing slash', `${offlineClient.postLogoutRedirectUri}/`],
    ['a different case', offlineClient.postLogoutRedirectUri.toUpperCase()],
    ["another client's logout URL", otherTenantClient.postLogoutRedirectUri],
    ['a redirect URL (not a logout URL)', offlineClient.redirectUri],
  ])('%s gets the signed-out page', async (_case, uri) => {
    await expectSignedOutPageWithoutRedirect({ post_logout_redirect_uri: uri });
  });
});

describe('[#logout-id-token-hint] id_token_hint is required for a redirect', () => {
  it('oidcc-rp-initiated-logout-no-id-token-hint: none given', async () => {
    await expectSignedOutPageWithoutRedirect({ id_token_hint: undefined });
  });

  it('oidcc-rp-initiated-logout-bad-id-token-hint: not a JWT', async () => {
    await expectSignedOutPageWithoutRedirect({ id_token_hint: 'garbage' });
  });

  it('a tampered id_token_hint (payload changed, signature kept)', async () => {
    const { tokens } = await signInForTokens(idp);
    const [header, , signature] = tokens.id_token.split('.');
    const payload = { ...decodeJwt(tokens.id_token), aud: offlineClient.id, sub: 'someone-else' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    await expectSignedOutPageWithoutRedirect({ id_token_hint: tampered });
  });

  it('an id_token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ aud: offlineClient.id, sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(idp.issuer)
      .setIssuedAt()
      .sign(privateKey);
    await expectSignedOutPageWithoutRedirect({ id_token_hint: forged });
  });

  it("an id_token of another client, with this client's logout URL", async () => {
    const { tokens } = await signInForTokens(idp, {
      client: otherTenantClient,
      user: { email: 'bob@example.org', password: 'bob-password-22' },
    });
    await expectSignedOutPageWithoutRedirect({ id_token_hint: tokens.id_token });
  });

  it('an access token given as id_token_hint', async () => {
    const { tokens } = await signInForTokens(idp);
    await expectSignedOutPageWithoutRedirect({ id_token_hint: tokens.access_token });
  });

  it('a client_id that does not match the id_token_hint', async () => {
    await expectSignedOutPageWithoutRedirect({ client_id: otherTenantClient.id });
  });
});
