/**
 * Rule: the user is always signed out; `post_logout_redirect_uri` is honoured only with a valid id_token_hint
 * for that client and an exactly registered Allowed Logout Redirect URL, with `state` echoed. Otherwise a
 * signed-out page and no redirect.
 * OpenID Foundation: oidcc-rp-initiated-logout, oidcc-rp-initiated-logout-bad-post-logout-redirect-uri,
 * oidcc-rp-initiated-logout-no-post-logout-redirect-uri, oidcc-rp-initiated-logout-bad-id-token-hint,
 * oidcc-rp-initiated-logout-no-state. Runs against any target with a test user (specs/support/target.ts).
 */
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { authorizationUrl, signInForTokens } from '../../harness/hybrid-flow.ts';
import { carol, onlineClient, otherTenantClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
// Every spec here signs a user in, then out.
beforeEach((ctx) => need(ctx, target(), 'test-user'));

const signIn = () => signInForTokens(target(), { client: target().client, user: target().user ?? undefined });

async function signOut(
  params: Record<string, string | undefined>,
  signedIn?: Awaited<ReturnType<typeof signIn>>,
) {
  const { front, tokens } = signedIn ?? (await signIn());
  const url = new URL(`${target().issuer}/connect/endsession`);
  const all: Record<string, string | undefined> = {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: target().client.postLogoutRedirectUri,
    state: 'logout-state',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
  const hop = await front.agent.navigate(url.href);
  return { hop, agent: front.agent, tokens };
}

async function expectSignedOutWithoutRedirect(
  params: Record<string, string | undefined>,
  signedIn?: Awaited<ReturnType<typeof signIn>>,
) {
  const { hop, agent } = await signOut(params, signedIn);
  const location = hop.response.headers.get('location');
  if (location) expect(new URL(location, hop.url).origin).toBe(new URL(target().issuer).origin);
  if (target().mock) {
    expect(hop.response.status).toBe(200);
    expect(hop.body).toContain('You are signed out');
  }
  // Signed out for real: the next sign-in shows the login page again.
  const again = await agent.navigate(authorizationUrl(target(), target().client));
  expect(again.body).toContain('name="password"');
}

describe('oidcc-rp-initiated-logout', () => {
  it('[#logout-redirect-registered] [#logout-state] redirects to the registered logout URL with state, and ends the session', async () => {
    const { hop, agent } = await signOut({});
    expect(hop.response.headers.get('location')).toBe(
      `${target().client.postLogoutRedirectUri}?state=logout-state`,
    );
    const again = await agent.navigate(authorizationUrl(target(), target().client));
    expect(again.body).toContain('name="password"');
  });

  it('[#logout-redirect-registered] [#logout-state] oidcc-rp-initiated-logout-no-state: redirects without state when none is given', async () => {
    const { hop } = await signOut({ state: undefined });
    expect(hop.response.headers.get('location')).toBe(target().client.postLogoutRedirectUri);
  });

  it('[#logout-redirect-registered] [#logout-state] accepts an id_token_hint that has expired (logout comes long after sign-in)', async (ctx) => {
    need(ctx, target(), 'time-control');
    const signedIn = await signIn();
    await target().advanceClock?.(3600);
    const { hop } = await signOut({ state: undefined }, signedIn);
    expect(hop.response.headers.get('location')).toBe(target().client.postLogoutRedirectUri);
  });

  it('[#logout-redirect-registered] [#logout-state] accepts POST as well as GET', async () => {
    const { tokens } = await signIn();
    const hop = await new UserAgent().request(`${target().issuer}/connect/endsession`, {
      form: {
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: target().client.postLogoutRedirectUri,
        state: 'p',
      },
    });
    expect(hop.response.headers.get('location')).toBe(`${target().client.postLogoutRedirectUri}?state=p`);
  });
});

describe('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: no redirect to what is not registered', () => {
  it('[#logout-redirect-registered] gives the signed-out page for every URL that is not exactly a registered logout URL', async () => {
    const registered = target().client.postLogoutRedirectUri;
    const variants: [string, string][] = [
      ['an unregistered URL', 'https://attacker.example/bye'],
      ['a query added', `${registered}?x=1`],
      ['a trailing slash', `${registered}/`],
      ['a different case', registered.toUpperCase()],
      ['a redirect URL (not a logout URL)', target().client.redirectUri],
    ];
    for (const [variant, uri] of variants) {
      await expectSignedOutWithoutRedirect({ post_logout_redirect_uri: uri }).catch((error: Error) => {
        throw new Error(`${variant} (${uri}): ${error.message}`);
      });
    }
  });

  it("[#logout-redirect-registered] gives the signed-out page for another client's logout URL", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    await expectSignedOutWithoutRedirect({
      post_logout_redirect_uri: otherTenantClient.postLogoutRedirectUri,
    });
  });
});

describe('id_token_hint is required for a redirect', () => {
  it('[#logout-id-token-hint] oidcc-rp-initiated-logout-no-id-token-hint: none given', async () => {
    await expectSignedOutWithoutRedirect({ id_token_hint: undefined });
  });

  it('[#logout-id-token-hint] oidcc-rp-initiated-logout-bad-id-token-hint: not a JWT', async () => {
    await expectSignedOutWithoutRedirect({ id_token_hint: 'garbage' });
  });

  it('[#logout-id-token-hint] a tampered id_token_hint (payload changed, signature kept)', async () => {
    const signedIn = await signIn();
    const [header, , signature] = signedIn.tokens.id_token.split('.');
    const payload = { ...decodeJwt(signedIn.tokens.id_token), sub: 'someone-else' };
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    await expectSignedOutWithoutRedirect({ id_token_hint: tampered }, signedIn);
  });

  it('[#logout-id-token-hint] an id_token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ aud: target().client.id, sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(target().issuer)
      .setIssuedAt()
      .sign(privateKey);
    await expectSignedOutWithoutRedirect({ id_token_hint: forged });
  });

  it("[#logout-id-token-hint] an id_token of another client, with this client's logout URL", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    // The same user, through another client: only the client differs.
    const other = await signInForTokens(target(), {
      client: onlineClient,
      user: target().user ?? undefined,
      params: { scope: 'openid ocsapi' },
    });
    await expectSignedOutWithoutRedirect({ id_token_hint: other.tokens.id_token });
  });

  it('[#logout-id-token-hint] an access token given as id_token_hint', async () => {
    const signedIn = await signIn();
    await expectSignedOutWithoutRedirect({ id_token_hint: signedIn.tokens.access_token }, signedIn);
  });

  it('[#logout-id-token-hint] a client_id that does not match the id_token_hint', async () => {
    await expectSignedOutWithoutRedirect({ client_id: '00000000-0000-4000-8000-000000000000' });
  });
});

describe('an id_token_hint of another user than the one signed in', () => {
  it('[#logout-other-user] sends nobody back to the app, and the user signed in stays signed in until they choose to sign out', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const signedIn = await signIn();
    const other = await signInForTokens(target(), { client: target().client, user: carol });
    const { hop, agent } = await signOut({ id_token_hint: other.tokens.id_token }, signedIn);
    expect(hop.response.headers.get('location')).toBeNull();
    expect(hop.body).toContain('Current user does not match identity token');
    expect(hop.body).toContain(target().user?.email);

    const stillSignedIn = await agent.request(
      authorizationUrl(target(), target().client, { prompt: 'none' }),
    );
    expect(UserAgent.authorizationResponse(stillSignedIn).fields.code).toBeTruthy();

    const confirmed = await agent.request(`${target().issuer}/connect/endsession`, { form: {} });
    expect(confirmed.body).toContain('You are signed out');
    const again = await agent.navigate(authorizationUrl(target(), target().client));
    expect(again.body).toContain('name="password"');
  });
});
