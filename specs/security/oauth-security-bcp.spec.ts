/**
 * The OAuth 2.0 Security Best Current Practice (RFC 9700) rules that no other spec states on its own, each titled
 * with its section. The review of both servers against the whole BCP, rule by rule with the spec that proves
 * each, is docs/security-review.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, tokenRequest } from '../../harness/hybrid-flow.ts';
import { type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { startTestIdp } from '../../harness/mock-idp.ts';
import { alice, carol, offlineClient } from '../../harness/test-seed.ts';
import { type Hop, UserAgent } from '../../harness/user-agent.ts';
import { endpointPaths } from '../../mock-idp/src/index.ts';
import { handleHash } from '../../mock-idp/src/protocol/random.ts';

let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit();
});
afterAll(() => kit?.close());

/** The mock's pages a browser sees, in the order of a sign-in, plus its error and portal pages. */
async function mockPages(): Promise<Record<string, Hop>> {
  const agent = new UserAgent();
  const login = await agent.navigate(authorizationUrl(kit.idp, kit.client));
  const form = UserAgent.form(login.body);
  const formPost = await agent.navigate(new URL(form?.action ?? '', login.url).href, {
    form: { ...form?.fields, email: alice.email, password: alice.password, action: 'login' },
  });
  const error = await agent.request(
    authorizationUrl(kit.idp, kit.client, { redirect_uri: 'https://evil.example/' }),
  );
  const endSession = await agent.request(`${kit.idp.issuer}${endpointPaths.endSession}`);
  const portal = await new UserAgent().request(`${kit.idp.origin}/portal/login`);
  return {
    'login page': login,
    'form_post page': formPost,
    'error page': error,
    'end-session page': endSession,
    'portal sign-in': portal,
  };
}

async function samplePages(): Promise<Record<string, Hop>> {
  const agent = await signInThroughApp(kit.appUrl, alice);
  const page = (path: string) => agent.request(`${kit.appUrl}${path}`);
  return {
    home: await page('/'),
    profile: await page('/profile'),
    namespaces: await page('/namespaces'),
    'error page': await agent.request(`${kit.appUrl}/callback`, { form: { state: 'forged' } }),
  };
}

describe('RFC 9700 §4.16 clickjacking, §4.2.4 Referer leakage, and caching of pages with credentials', () => {
  it('[#authorization-response-framing] the mock: every page but the form_post answer refuses framing; all send no Referer away and are never cached', async () => {
    for (const [name, hop] of Object.entries(await mockPages())) {
      const headers = hop.response.headers;
      if (name === 'form_post page') {
        // IdentityServer4's form_post page limits scripts and the Referer only: silent renew frames it.
        expect(headers.get('x-frame-options'), name).toBeNull();
        expect(headers.get('content-security-policy'), name).not.toContain('frame-ancestors');
        expect(headers.get('content-security-policy'), name).toMatch(/script-src 'nonce-/);
      } else {
        expect(headers.get('x-frame-options'), name).toBe('DENY');
        expect(headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
      }
      expect(headers.get('referrer-policy'), name).toBe('no-referrer');
      expect(headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it('the sample app: every page refuses framing, sends no Referer to other sites, and is never cached', async () => {
    for (const [name, hop] of Object.entries(await samplePages())) {
      const headers = hop.response.headers;
      expect(headers.get('x-frame-options'), name).toBe('DENY');
      expect(headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
      expect(['no-referrer', 'same-origin'], name).toContain(headers.get('referrer-policy'));
      expect(headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it('pages that take credentials or carry a code load nothing from other origins (§4.2.4)', async () => {
    const pages = { ...(await mockPages()), ...(await samplePages()) };
    for (const [name, hop] of Object.entries(pages)) {
      const references = [...hop.body.matchAll(/\b(?:src|href)="([^"]+)"/g)].map(([, url]) => url as string);
      const foreign = references.filter((url) => {
        const target = new URL(url, hop.url);
        return target.origin !== new URL(hop.url).origin && target.protocol.startsWith('http');
      });
      // The sample app links to the identity server's sign-in, nothing else.
      expect(
        foreign.filter((url) => !url.startsWith(kit.idp.issuer)),
        name,
      ).toEqual([]);
    }
  });
});

describe('RFC 9700 §4.12: no 307 after a request that carried credentials', () => {
  it('answers the login and portal sign-in forms with a page or a 303, never a 307 that would repost the password', async () => {
    const formPost = (await mockPages())['form_post page'] as Hop;
    expect([200, 303]).toContain(formPost.response.status);
    const agent = new UserAgent();
    const page = await agent.request(`${kit.idp.origin}/portal/login`);
    const portal = await agent.request(`${kit.idp.origin}/portal/login`, {
      form: { ...UserAgent.form(page.body)?.fields, email: carol.email, password: carol.password },
    });
    expect(portal.response.status).toBe(303);
  });
});

describe('RFC 9700 §2.4: no resource owner password credentials grant', () => {
  it('refuses grant_type=password even with valid client and user credentials', async () => {
    const answer = await tokenRequest(
      kit.idp,
      { grant_type: 'password', username: alice.email, password: alice.password, scope: 'openid ocsapi' },
      kit.client,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unsupported_grant_type');
    expect(JSON.stringify(answer.body)).not.toContain(alice.password);
  });
});

describe('RFC 9700 §4.4: mix-up', () => {
  it('[#authorization-response-iss] the mock names itself in authorization responses (RFC 9207) only when set to, as IdentityServer4 4.x never does', async () => {
    const withoutIss = await (await fetch(`${kit.idp.issuer}${endpointPaths.discovery}`)).json();
    expect(withoutIss).not.toHaveProperty('authorization_response_iss_parameter_supported');
    const plain = await new UserAgent().signIn(authorizationUrl(kit.idp, kit.client), alice);
    expect(plain.response.fields).not.toHaveProperty('iss');

    const idp = await startTestIdp({ authorizationResponseIss: true });
    try {
      const discovery = await (await fetch(`${idp.issuer}${endpointPaths.discovery}`)).json();
      expect(discovery.authorization_response_iss_parameter_supported).toBe(true);
      const { response } = await new UserAgent().signIn(authorizationUrl(idp, offlineClient), alice);
      expect(response.fields.iss).toBe(idp.issuer);
      const denied = await new UserAgent().request(authorizationUrl(idp, offlineClient, { prompt: 'none' }));
      expect(UserAgent.authorizationResponse(denied).fields).toMatchObject({
        error: 'login_required',
        iss: idp.issuer,
      });
    } finally {
      await idp.dispose();
    }
  });

  it('the sample app refuses an authorization response that names another issuer, before it spends the code', async () => {
    const agent = new UserAgent();
    const login = await agent.request(`${kit.appUrl}/login`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
    const forged = await agent.request(`${kit.appUrl}/callback`, {
      form: { ...response.fields, iss: 'https://attacker.example/identity' },
    });
    expect(forged.response.status).toBe(400);
    expect(forged.body).toContain('could not be verified');
    // The code was not redeemed: it is still in the identity server's store (a redeemed code is removed).
    expect(kit.idp.context.store.codes.get(handleHash(response.fields.code as string))).toBeDefined();
  });
});
