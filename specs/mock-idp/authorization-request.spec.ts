/**
 * Rules of the hybrid authorization request, in IdentityServer4 4.x's order and with its error codes. A refused
 * request is shown on the identity server's error page and never goes back to the client; only the interaction
 * errors (login_required, access_denied, ...) do, by the requested response mode (else the hybrid default,
 * fragment), with `state` echoed and `iss` set.
 */

import { decodeJwt } from 'jose';
import { describe, expect, it, type TestContext } from 'vitest';
import { authorizationUrl, halfHashOf, redeemCode, signInForCode } from '../../harness/hybrid-flow.ts';
import {
  alice,
  browserTokensClient,
  onlineClient,
  type SeededHybridClient,
} from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { errorResponse } from '../../mock-idp/src/protocol/authorization-response.ts';
import { OAuthError } from '../../mock-idp/src/protocol/errors.ts';
import type { AuthorizationRequest } from '../../mock-idp/src/store/records.ts';
import { expectErrorPageAtIdentityServer } from '../support/error-page.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
const anotherTenant = '00000000-0000-4000-8000-0000000000ff';

const hopFor = (
  params: Record<string, string | undefined>,
  client: SeededHybridClient = target().client,
  agent = new UserAgent(),
) => agent.request(authorizationUrl(target(), client, params));

/** The authorization response the browser would carry back, without signing in. */
async function respond(
  params: Record<string, string | undefined>,
  client: SeededHybridClient = target().client,
  agent = new UserAgent(),
) {
  const hop = await hopFor(params, client, agent);
  return { hop, response: UserAgent.authorizationResponse(hop) };
}

/** The sign-in goes on at the identity server (its login page), rather than back to the client with an error. */
async function expectLoginPage(ctx: TestContext, params: Record<string, string | undefined>) {
  // Recognising the login page needs a target that shows the mock's: the test-user prerequisite.
  need(ctx, target(), 'test-user');
  const hop = await new UserAgent().navigate(authorizationUrl(target(), target().client, params));
  expect(hop.body).toContain('name="password"');
}

/** Refused on the identity server's error page, with this error code (checked on the bundled mock's page). */
async function expectErrorPage(
  params: Record<string, string | undefined>,
  error: string,
  client: SeededHybridClient = target().client,
) {
  const hop = await new UserAgent().navigate(
    authorizationUrl(target(), client, { state: 'the-state', ...params }),
  );
  return expectErrorPageAtIdentityServer(target(), hop, error);
}

/** An interaction error, the kind IdentityServer sends back to the client. */
async function expectErrorAtClient(params: Record<string, string | undefined>, error: string) {
  const { response } = await respond({ state: 'the-state', ...params });
  expect(response.action).toBe(target().client.redirectUri);
  expect(response.fields).toMatchObject({ error, state: 'the-state' });
  // RFC 9207: any server that names itself must name itself rightly (the bundled mock does only when set to).
  if (response.fields.iss !== undefined) expect(response.fields.iss).toBe(target().issuer);
  expect(response.fields.code).toBeUndefined();
}

describe('hybrid response type and response mode', () => {
  it.each(['code', 'id_token', 'token', 'id_token token'])(
    '[#hybrid-response] [#authorization-error-page] response_type=%s (not a hybrid flow) is refused with unauthorized_client on the error page',
    async (responseType) => {
      await expectErrorPage({ response_type: responseType }, 'unauthorized_client');
    },
  );

  it.each(['foo', 'code foo', 'code code id_token'])(
    '[#hybrid-response] [#authorization-error-page] response_type=%s is refused with unsupported_response_type on the error page',
    async (responseType) => {
      await expectErrorPage({ response_type: responseType }, 'unsupported_response_type');
    },
  );

  it('[#hybrid-response] [#authorization-error-page] accepts the response types in either order (id_token code)', async (ctx) => {
    await expectLoginPage(ctx, { response_type: 'id_token code' });
  });

  it('[#hybrid-response] [#authorization-error-page] refuses response_mode=query for the hybrid flow (invalid_request "Invalid response_mode for response_type") on the error page', async () => {
    const body = await expectErrorPage({ response_mode: 'query' }, 'invalid_request');
    if (target().mock) expect(body).toContain('Invalid response_mode for response_type');
  });

  it('[#hybrid-response] [#authorization-error-page] refuses an unknown response_mode (unsupported_response_type) on the error page', async () => {
    await expectErrorPage({ response_mode: 'jwt' }, 'unsupported_response_type');
  });

  it('[#hybrid-response] [#authorization-error-page] shows an error page, and sends nothing to the client, when response_type is missing', async () => {
    const body = await expectErrorPage({ response_type: undefined }, 'unsupported_response_type');
    if (target().mock) expect(body).toContain('response_type');
  });

  it('[#hybrid-response] [#authorization-error-page] answers by fragment when response_mode=fragment (oidcc-response-mode-fragment)', async () => {
    const hop = await new UserAgent().request(
      authorizationUrl(target(), target().client, { response_mode: 'fragment', prompt: 'none', state: 's' }),
    );
    expect(hop.response.status).toBe(303);
    const location = new URL(hop.response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(target().client.redirectUri);
    expect(location.search).toBe('');
    expect(Object.fromEntries(new URLSearchParams(location.hash.slice(1)))).toMatchObject({
      error: 'login_required',
      state: 's',
    });
  });

  it('[#hybrid-response] [#authorization-error-page] [#default-response-mode] answers by fragment when no response_mode is given (the hybrid default)', async () => {
    const { hop, response } = await respond({ response_mode: undefined, prompt: 'none' });
    expect(hop.response.status).toBe(303);
    expect(hop.response.headers.get('location')).toContain('#');
    expect(response.action).toBe(target().client.redirectUri);
    expect(response.fields.error).toBe('login_required');
  });

  it('[#hybrid-response] [#authorization-error-page] [#default-response-mode] answers by form_post only when asked', async () => {
    const { hop, response } = await respond({ response_mode: 'form_post', prompt: 'none' });
    expect(hop.response.status).toBe(200);
    expect(response.action).toBe(target().client.redirectUri);
    expect(response.fields.error).toBe('login_required');
  });
});

describe('AllowAccessTokensViaBrowser', () => {
  it.each(['code token', 'code id_token token'])(
    '[#access-tokens-via-browser] refuses response_type=%s on the error page when it is off (invalid_request, "Client not configured to receive access tokens via browser")',
    async (responseType) => {
      const body = await expectErrorPage({ response_type: responseType }, 'invalid_request');
      expect(body).not.toContain('access_token');
      if (target().mock) expect(body).toContain('Client not configured to receive access tokens via browser');
    },
  );

  it.for([
    ['code id_token token', true],
    ['code token', false],
  ] as const)(
    '[#access-tokens-via-browser] when on, response_type=%s delivers the access token in the browser',
    async ([responseType, withIdToken], ctx) => {
      need(ctx, target(), 'in-process mock');
      const front = await signInForCode(target(), {
        client: browserTokensClient,
        params: { response_type: responseType },
      });
      const { fields } = front;
      expect(fields).toMatchObject({
        code: expect.any(String),
        access_token: expect.any(String),
        token_type: 'Bearer',
      });
      expect(Number(fields.expires_in)).toBe(3600);
      expect(decodeJwt(fields.access_token as string)).toMatchObject({ sub: alice.id, aud: 'ocsapi' });
      if (withIdToken) {
        const idToken = decodeJwt(fields.id_token as string);
        expect(idToken.at_hash).toBe(halfHashOf(fields.access_token as string));
        expect(idToken.c_hash).toBe(halfHashOf(front.code));
        expect(idToken.nonce).toBe(front.nonce);
      } else {
        expect(fields.id_token).toBeUndefined();
      }
      // The code still redeems at the token endpoint, as in every hybrid flow.
      expect((await redeemCode(target(), front, browserTokensClient)).status).toBe(200);
    },
  );
});

describe('nonce and state', () => {
  it('[#nonce-required] oidcc-ensure-request-without-nonce-fails: nonce is required for code id_token', async () => {
    const body = await expectErrorPage({ nonce: undefined }, 'invalid_request');
    if (target().mock) expect(body).toContain('Invalid nonce');
  });

  it('[#state-echoed] echoes state exactly, including characters that need escaping', async () => {
    const state = `a"b<c>&d'e ü`;
    const { response } = await respond({ state, prompt: 'none' });
    expect(response.fields.state).toBe(state);
  });

  it('[#state-echoed] sends no state back when none was sent (oidcc-ensure-request-without-state-succeeds)', async () => {
    const { response } = await respond({ state: undefined, prompt: 'none' });
    expect(response.fields).not.toHaveProperty('state');
  });

  it('[#nonce-required] [#input-length-limits] refuses a nonce over 300 characters, and takes one of 300', async (ctx) => {
    await expectErrorPage({ nonce: 'n'.repeat(301) }, 'invalid_request');
    await expectLoginPage(ctx, { nonce: 'n'.repeat(300) });
  });
});

describe('the lengths IdentityServer4 refuses (InputLengthRestrictions)', () => {
  it.for([
    ['scope', `openid${' profile'.repeat(37)}`, `openid${' profile'.repeat(36)}`],
    ['login_hint', 'a'.repeat(101), 'a'.repeat(100)],
    ['ui_locales', 'a'.repeat(101), 'a'.repeat(100)],
    ['acr_values', 'x'.repeat(301), 'x'.repeat(300)],
    ['state', 's'.repeat(2001), 's'.repeat(2000)],
  ] as const)(
    '[#input-length-limits] refuses a %s past its limit on the error page, and takes one at the limit',
    async ([name, over, atLimit], ctx) => {
      const body = await expectErrorPage({ [name]: over }, 'invalid_request');
      if (target().mock) expect(body).toContain(`Invalid ${name}`);
      await expectLoginPage(ctx, { [name]: atLimit });
    },
  );

  it('[#input-length-limits] refuses a client_id over 100 characters on the error page', async () => {
    const url = authorizationUrl(target(), { ...target().client, id: 'c'.repeat(101) });
    expectErrorPageAtIdentityServer(target(), await new UserAgent().navigate(url), 'invalid_request');
  });

  it('[#input-length-limits] refuses a redirect_uri over 400 characters on the error page', async () => {
    await expectErrorPage(
      { redirect_uri: `${target().client.redirectUri}?${'q'.repeat(400)}` },
      'invalid_request',
    );
  });
});

describe('PKCE parameters (RFC 7636)', () => {
  it.each([
    [
      'no code_challenge (IdentityServer4 4.x requires PKCE of every client)',
      { code_challenge: undefined, code_challenge_method: undefined },
    ],
    ['plain method', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
    ['no method (defaults to plain)', { code_challenge: 'a'.repeat(43), code_challenge_method: undefined }],
    ['a method without a challenge', { code_challenge: undefined, code_challenge_method: 'S256' }],
    ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }],
  ])('[#pkce] refuses %s on the error page', async (_case, params) => {
    await expectErrorPage(params, 'invalid_request');
  });
});

describe('scopes', () => {
  it('[#refresh-only-when-allowed] requires openid (invalid_request "Missing openid scope")', async () => {
    await expectErrorPage({ scope: 'profile ocsapi' }, 'invalid_request');
  });

  it('[#refresh-only-when-allowed] refuses an unknown scope (invalid_scope)', async () => {
    await expectErrorPage({ scope: 'openid superpowers' }, 'invalid_scope');
  });

  it('[#refresh-only-when-allowed] refuses offline_access for a client without Allow Refresh Token', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const body = await expectErrorPage({ scope: 'openid offline_access' }, 'invalid_scope', onlineClient);
    expect(body).toMatch(/Allow Refresh Token/);
  });
});

describe('tenant: acr_values=tenant:{id}', () => {
  it("[#tenant] accepts the client's own tenant", async (ctx) => {
    await expectLoginPage(ctx, { acr_values: `tenant:${target().tenantId}` });
  });

  it('[#tenant] refuses another tenant', async () => {
    const body = await expectErrorPage({ acr_values: `tenant:${anotherTenant}` }, 'invalid_request');
    if (target().mock) expect(body).toMatch(/tenant/);
  });

  it('[#tenant] ignores acr values that are not tenant hints', async (ctx) => {
    await expectLoginPage(ctx, { acr_values: 'idp:local' });
  });
});

describe('what goes back to the client', () => {
  const request = {
    redirectUri: 'https://app.example/cb',
    responseMode: 'form_post',
    state: 's',
  } as AuthorizationRequest;
  const issuer = { issuer: 'https://idp.example/identity', authorizationResponseIss: false };

  it.each([
    'access_denied',
    'login_required',
    'consent_required',
    'interaction_required',
    'account_selection_required',
  ] as const)('[#authorization-error-page] %s, an error of the interaction with the user', (code) => {
    expect(errorResponse(issuer, request, new OAuthError(code, 'why')).params).toMatchObject({
      error: code,
      state: 's',
    });
  });

  it.each(['invalid_request', 'invalid_scope', 'unauthorized_client', 'unsupported_response_type'] as const)(
    '[#authorization-error-page] never %s: it stays on the error page',
    (code) => {
      expect(() => errorResponse(issuer, request, new OAuthError(code, 'why'))).toThrow(code);
    },
  );
});

describe('a successful authorization response', () => {
  it('[#session-state] [#authorization-response-iss] carries session_state (hash.salt), and no iss from the bundled mock by default', async (ctx) => {
    need(ctx, target(), 'test-user');
    const { response } = await new UserAgent().signIn(
      authorizationUrl(target(), target().client),
      target().user ?? null,
    );
    expect(response.fields.code).toBeTruthy();
    expect(response.fields.session_state).toMatch(/^[A-Za-z0-9_-]{43}\.[0-9a-f]{32}$/);
    if (target().mock) expect(response.fields).not.toHaveProperty('iss');
  });
});

describe('prompt', () => {
  it('[#authorization-error-page] oidcc-prompt-none-not-logged-in: prompt=none without a session returns login_required', async () => {
    await expectErrorAtClient({ prompt: 'none' }, 'login_required');
  });

  it('[#authorization-error-page] oidcc-prompt-none-logged-in: prompt=none with a session answers at once', async (ctx) => {
    need(ctx, target(), 'test-user');
    const agent = new UserAgent();
    await agent.signIn(authorizationUrl(target(), target().client), target().user ?? null);
    const { response } = await respond({ prompt: 'none' }, target().client, agent);
    expect(response.fields.code).toBeTruthy();
  });

  it('[#authorization-error-page] oidcc-prompt-login: prompt=login shows the login page even with a session', async (ctx) => {
    need(ctx, target(), 'test-user');
    const agent = new UserAgent();
    await agent.signIn(authorizationUrl(target(), target().client), target().user ?? null);
    const again = await agent.signIn(
      authorizationUrl(target(), target().client, { prompt: 'login' }),
      target().user ?? null,
    );
    expect(again.loginShown).toBe(true);
    expect(again.response.fields.code).toBeTruthy();
  });

  it('[#authorization-error-page] oidcc-max-age-1: max_age shorter than the session asks to sign in again', async (ctx) => {
    need(ctx, target(), 'test-user', 'time-control');
    const agent = new UserAgent();
    await agent.signIn(authorizationUrl(target(), target().client), target().user ?? null);
    await target().advanceClock?.(5);
    const again = await agent.signIn(
      authorizationUrl(target(), target().client, { max_age: '1' }),
      target().user ?? null,
    );
    expect(again.loginShown).toBe(true);
  });

  it('[#authorization-error-page] refuses prompt=none combined with another value on the error page', async () => {
    await expectErrorPage({ prompt: 'none login' }, 'invalid_request');
  });

  it('[#authorization-error-page] ignores a prompt with a value IdentityServer does not know, as a whole', async (ctx) => {
    await expectLoginPage(ctx, { prompt: 'none sometimes' });
  });
});

describe('unsupported request features', () => {
  it('[#discovery-contents] refuses request objects (invalid_request_object, "Invalid JWT request": a hybrid client has no key) on the error page', async () => {
    await expectErrorPage({ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'invalid_request_object');
  });

  it('refuses request_uri (request_uri_not_supported) on the error page', async () => {
    await expectErrorPage({ request_uri: 'https://attacker.example/req' }, 'request_uri_not_supported');
  });

  it('refuses a repeated parameter on the error page', async () => {
    const url = new URL(authorizationUrl(target(), target().client, { state: 'the-state' }));
    url.searchParams.append('scope', 'openid');
    expectErrorPageAtIdentityServer(target(), await new UserAgent().navigate(url.href), 'invalid_request');
  });
});

describe('POST to the authorization endpoint (OIDC Core 3.1.2.1)', () => {
  it('accepts the same parameters as a form post', async () => {
    const params = Object.fromEntries(
      new URL(authorizationUrl(target(), target().client, { prompt: 'none' })).searchParams,
    );
    const hop = await new UserAgent().request(`${target().issuer}/connect/authorize`, { form: params });
    expect(UserAgent.authorizationResponse(hop).fields.error).toBe('login_required');
  });
});
