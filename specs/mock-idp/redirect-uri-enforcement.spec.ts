/**
 * Rule: redirect URLs are matched exactly against the client's Allowed Redirect URL(s). An unregistered or
 * inexact one gets an error page at the identity server and is never redirected to.
 * OpenID Foundation: oidcc-ensure-registered-redirect-uri, oidcc-ensure-redirect-uri-in-authorization-request.
 * Runs against any target (specs/support/target.ts).
 */
import { describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { otherTenantClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { validSettings } from '../../mock-idp/src/domain/client-administration.ts';
import { expectErrorPageAtIdentityServer } from '../support/error-page.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();

/** Variants of the registered URL that an exact match must refuse. */
function inexactVariants(registered: string): [string, string][] {
  const url = new URL(registered);
  const swapCase = (text: string) => text.replace(/[a-z]/, (c) => c.toUpperCase());
  return [
    ['an unregistered URL', 'https://attacker.example/callback'],
    ['a query added', `${registered}${url.search ? '&' : '?'}next=/admin`],
    ['a different case in the path', `${url.origin}${swapCase(url.pathname)}${url.search}`],
    ['a trailing slash', `${registered}/`],
    ['a fragment', `${registered}#frag`],
    ['a wildcard host', `${url.protocol}//*.${url.host}${url.pathname}`],
    ['another port', `${url.protocol}//${url.hostname}:8443${url.pathname}`],
    ['the other scheme', `${url.protocol === 'https:' ? 'http:' : 'https:'}//${url.host}${url.pathname}`],
    ['a path prefix of it', `${url.origin}${url.pathname.slice(0, -2)}`],
    ['a longer path', `${registered}/more`],
  ];
}

async function expectNoRedirectToClient(redirectUri: string | undefined, clientId = target().client.id) {
  const url = authorizationUrl(
    target(),
    { id: clientId, redirectUri: redirectUri ?? '' },
    { redirect_uri: redirectUri },
  );
  return expectErrorPageAtIdentityServer(target(), await new UserAgent().navigate(url));
}

describe('oidcc-ensure-registered-redirect-uri: only exactly registered redirect URIs', () => {
  it('[#redirect-uri-exact] [#redirect-uri-unregistered] refuses every inexact variant of the registered URL, with an error page and no redirect', async () => {
    for (const [variant, uri] of inexactVariants(target().client.redirectUri)) {
      const body = await expectNoRedirectToClient(uri).catch((error: Error) => {
        throw new Error(`${variant} (${uri}): ${error.message}`);
      });
      // The documents' name for it (bad_client) beside IdentityServer's (invalid_request).
      if (target().mock)
        expect(body).toMatch(
          /<code>invalid_request<\/code>: Invalid redirect_uri: bad_client: .*not registered/,
        );
    }
  });

  it("[#redirect-uri-exact] [#redirect-uri-unregistered] refuses another client's registered URL", async (ctx) => {
    need(ctx, target(), 'in-process mock');
    await expectNoRedirectToClient(otherTenantClient.redirectUri);
  });

  it('[#redirect-uri-exact] [#redirect-uri-unregistered] [#redirect-uri-required] oidcc-ensure-redirect-uri-in-authorization-request: no redirect_uri gets an error page', async () => {
    const body = await expectNoRedirectToClient(undefined);
    if (target().mock) expect(body).toContain('redirect_uri parameter is required');
  });

  it('[#redirect-uri-exact] [#redirect-uri-unregistered] an unknown client gets an error page, even with a plausible redirect_uri', async () => {
    await expectNoRedirectToClient(target().client.redirectUri, '00000000-0000-4000-8000-000000000000');
  });

  it('[#redirect-uri-exact] [#redirect-uri-unregistered] a repeated redirect_uri parameter gets an error page', async () => {
    const url = new URL(authorizationUrl(target(), target().client));
    url.searchParams.append('redirect_uri', 'https://attacker.example/callback');
    const hop = await new UserAgent().navigate(url.href);
    expect(hop.response.headers.get('location') ?? '').not.toContain('attacker.example');
    expect(hop.body).not.toContain('attacker.example/callback?');
  });

  it('[#redirect-uri-exact] [#redirect-uri-unregistered] accepts the registered URL exactly as registered', async () => {
    const hop = await new UserAgent().request(authorizationUrl(target(), target().client));
    // The sign-in goes on at the identity server (its login page), not to an error page.
    expect([200, 302, 303]).toContain(hop.response.status);
    if (target().mock) expect(hop.response.headers.get('location')).toContain('/identity/account/login');
  });
});

describe('"Wildcards are ignored": a registered * is a character, not a pattern', () => {
  it('[#redirect-uri-wildcard-literal] matches a URL registered with * only literally, never as a pattern', async (ctx) => {
    need(ctx, target(), 'in-process mock');
    const registered = 'https://*.wildcard.example/callback';
    const created = target().mock?.context.administration.createHybridClient(
      target().tenantId,
      validSettings({ name: 'Wildcard spec client', redirectUris: [registered], allowOfflineAccess: true }),
      { description: 'spec', expiresAt: null },
    );
    const id = created?.client.id as string;
    for (const matchAttempt of [
      'https://app.wildcard.example/callback',
      'https://x.y.wildcard.example/callback',
    ]) {
      const body = await expectNoRedirectToClient(matchAttempt, id);
      expect(body).toContain('not registered');
    }
    const literal = await new UserAgent().request(
      authorizationUrl(target(), { id, redirectUri: registered }),
    );
    expect(literal.response.headers.get('location')).toContain('/identity/account/login');
  });
});
