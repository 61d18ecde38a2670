/**
 * Rule: redirect URLs are matched exactly against the client's Allowed Redirect URL(s). An unregistered or
 * inexact one gets an error page at the identity server and is never redirected to.
 * OpenID Foundation: oidcc-ensure-registered-redirect-uri, oidcc-ensure-redirect-uri-in-authorization-request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../support/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../support/mock-idp.ts';
import { offlineClient, otherTenantClient } from '../support/test-seed.ts';
import { UserAgent } from '../support/user-agent.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

async function expectErrorPageWithoutRedirect(redirectUri: string | undefined, clientId = offlineClient.id) {
  const url = authorizationUrl(
    idp,
    { id: clientId, redirectUri: redirectUri ?? '' },
    { redirect_uri: redirectUri },
  );
  const { response, body } = await new UserAgent().request(url);
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  // No form that would carry the browser (or a code) anywhere.
  expect(body).not.toMatch(/<form/);
  expect(body).not.toContain('code=');
  return body;
}

describe('[#redirect-uri-exact] [#redirect-uri-unregistered] oidcc-ensure-registered-redirect-uri: only exactly registered redirect URIs', () => {
  const registered = offlineClient.redirectUri; // https://app.example.com/callback

  it.each([
    ['an unregistered URL', 'https://attacker.example/callback'],
    ['a query added', `${registered}?next=/admin`],
    ['a different case in the path', 'https://app.example.com/Callback'],
    ['a different case in the host', 'https://APP.example.com/callback'],
    ['a trailing slash', `${registered}/`],
    ['a fragment', `${registered}#frag`],
    ['a wildcard', 'https://*.example.com/callback'],
    ['another port', 'https://app.example.com:8443/callback'],
    ['http instead of https', 'http://app.example.com/callback'],
    ['a path prefix of the registered URL', 'https://app.example.com/call'],
    ['a longer path', `${registered}/more`],
    ["another client's registered URL", otherTenantClient.redirectUri],
  ])('%s gets an error page, not a redirect', async (_case, uri) => {
    const body = await expectErrorPageWithoutRedirect(uri);
    expect(body).toContain('not registered');
  });

  it('[#redirect-uri-required] oidcc-ensure-redirect-uri-in-authorization-request: no redirect_uri gets an error page', async () => {
    expect(await expectErrorPageWithoutRedirect(undefined)).toContain('redirect_uri parameter is required');
  });

  it('an unknown client gets an error page, even with a plausible redirect_uri', async () => {
    await expectErrorPageWithoutRedirect(registered, '00000000-0000-4000-8000-000000000000');
  });

  it('a repeated redirect_uri parameter gets an error page', async () => {
    const url = new URL(authorizationUrl(idp, offlineClient));
    url.searchParams.append('redirect_uri', 'https://attacker.example/callback');
    const { response } = await new UserAgent().request(url.href);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('every registered URL is accepted as it is registered', async () => {
    for (const uri of [registered, 'https://app.example.com/other-callback']) {
      const { response } = await new UserAgent().request(
        authorizationUrl(idp, offlineClient, { redirect_uri: uri }),
      );
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toContain('/identity/account/login');
    }
  });
});
