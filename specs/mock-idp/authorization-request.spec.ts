/**
 * Rules of the hybrid authorization request, once client and redirect URI are known to be registered: errors
 * go back to the redirect URI (by form_post), with `state` echoed and `iss` set.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { authorizationUrl } from '../support/hybrid-flow.ts';
import { need, useTarget } from '../support/target.ts';
import { onlineClient, type SeededHybridClient } from '../support/test-seed.ts';
import { UserAgent } from '../support/user-agent.ts';

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

async function expectError(
  params: Record<string, string | undefined>,
  error: string,
  client: SeededHybridClient = target().client,
) {
  const { response } = await respond({ state: 'the-state', ...params }, client);
  expect(response.action).toBe(client.redirectUri);
  expect(response.fields).toMatchObject({ error, state: 'the-state' });
  // RFC 9207: the bundled mock names itself; any server that does must name itself rightly.
  if (target().mock || response.fields.iss !== undefined) expect(response.fields.iss).toBe(target().issuer);
  expect(response.fields.code).toBeUndefined();
  return response.fields;
}

describe('[#hybrid-response] hybrid response type and response mode', () => {
  it.each(['code', 'id_token', 'code token', 'token', 'code id_token token'])(
    'response_type=%s is refused with unsupported_response_type',
    async (responseType) => {
      await expectError({ response_type: responseType }, 'unsupported_response_type');
    },
  );

  it('accepts the response types in either order (id_token code)', async (ctx) => {
    await expectLoginPage(ctx, { response_type: 'id_token code' });
  });

  it('refuses response_mode=query for the hybrid flow, answering by form_post', async () => {
    const fields = await expectError({ response_mode: 'query' }, 'invalid_request');
    expect(fields.error_description).toMatch(/query/);
  });

  it('answers by fragment when response_mode=fragment (oidcc-response-mode-fragment)', async () => {
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

  it('uses form_post when no response_mode is given', async () => {
    const { hop, response } = await respond({ response_mode: undefined, prompt: 'none' });
    expect(hop.response.status).toBe(200);
    expect(response.action).toBe(target().client.redirectUri);
    expect(response.fields.error).toBe('login_required');
  });
});

describe('nonce and state', () => {
  it('[#nonce-required] oidcc-ensure-request-without-nonce-fails: nonce is required for code id_token', async () => {
    const fields = await expectError({ nonce: undefined }, 'invalid_request');
    expect(fields.error_description).toMatch(/nonce/);
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

  it('[#nonce-required] refuses an overlong nonce', async () => {
    await expectError({ nonce: 'n'.repeat(600) }, 'invalid_request');
  });
});

describe('[#pkce] PKCE parameters (RFC 7636)', () => {
  it.each([
    ['plain method', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
    ['no method (defaults to plain)', { code_challenge: 'a'.repeat(43) }],
    ['a method without a challenge', { code_challenge_method: 'S256' }],
    ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }],
  ])('refuses %s', async (_case, params) => {
    await expectError(params, 'invalid_request');
  });
});

describe('[#refresh-only-when-allowed] scopes', () => {
  it('requires openid', async () => {
    await expectError({ scope: 'profile ocsapi' }, 'invalid_scope');
  });

  it('refuses an unknown scope', async () => {
    await expectError({ scope: 'openid superpowers' }, 'invalid_scope');
  });

  it('refuses offline_access for a client without Allow Refresh Token', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const fields = await expectError({ scope: 'openid offline_access' }, 'invalid_scope', onlineClient);
    expect(fields.error_description).toMatch(/Allow Refresh Token/);
  });
});

describe('[#tenant] tenant: acr_values=tenant:{id}', () => {
  it("accepts the client's own tenant", async (ctx) => {
    await expectLoginPage(ctx, { acr_values: `tenant:${target().tenantId}` });
  });

  it('refuses another tenant', async () => {
    const fields = await expectError({ acr_values: `tenant:${anotherTenant}` }, 'invalid_request');
    expect(fields.error_description).toMatch(/tenant/);
  });

  it('ignores acr values that are not tenant hints', async (ctx) => {
    await expectLoginPage(ctx, { acr_values: 'idp:local' });
  });
});

describe('prompt', () => {
  it('oidcc-prompt-none-not-logged-in: prompt=none without a session returns login_required', async () => {
    await expectError({ prompt: 'none' }, 'login_required');
  });

  it('oidcc-prompt-none-logged-in: prompt=none with a session answers at once', async (ctx) => {
    need(ctx, target(), 'test-user');
    const agent = new UserAgent();
    await agent.signIn(authorizationUrl(target(), target().client), target().user ?? null);
    const { response } = await respond({ prompt: 'none' }, target().client, agent);
    expect(response.fields.code).toBeTruthy();
  });

  it('oidcc-prompt-login: prompt=login shows the login page even with a session', async (ctx) => {
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

  it('oidcc-max-age-1: max_age shorter than the session asks to sign in again', async (ctx) => {
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

  it('refuses prompt=none combined with another value', async () => {
    await expectError({ prompt: 'none login' }, 'invalid_request');
  });
});

describe('unsupported request features', () => {
  it('refuses request objects (request_not_supported)', async () => {
    await expectError({ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported');
  });

  it('refuses request_uri (request_uri_not_supported)', async () => {
    await expectError({ request_uri: 'https://attacker.example/req' }, 'request_uri_not_supported');
  });

  it('refuses a repeated parameter', async () => {
    const url = new URL(authorizationUrl(target(), target().client, { state: 'the-state' }));
    url.searchParams.append('scope', 'openid');
    const response = UserAgent.authorizationResponse(await new UserAgent().request(url.href));
    expect(response.fields.error).toBe('invalid_request');
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
