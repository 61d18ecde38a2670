/**
 * An authorization request refused on the identity server's error page, as IdentityServer4 refuses every one but
 * the interaction errors (AuthorizeResult.ProcessErrorAsync): whatever the browser is shown there, nothing sends
 * it, or a code, to the client. The bundled mock also answers 400 with a page that names the error.
 */
import { expect } from 'vitest';
import type { Hop } from '../../mock-idp/src/testing/user-agent.ts';
import type { Target } from './target.ts';

export function expectErrorPageAtIdentityServer(target: Target, hop: Hop, error?: string): string {
  const location = hop.response.headers.get('location');
  if (location) expect(new URL(location, hop.url).origin).toBe(new URL(target.issuer).origin);
  const actions = [...hop.body.matchAll(/<form[^>]*action="([^"]*)"/g)].map(([, action]) => action ?? '');
  for (const action of actions) {
    expect(new URL(action.replaceAll('&amp;', '&'), hop.url).origin).toBe(new URL(target.issuer).origin);
  }
  expect(hop.body).not.toContain('code=');
  if (target.mock) {
    expect(hop.response.status).toBe(400);
    expect(hop.response.headers.get('content-type')).toMatch(/text\/html/);
    if (error) expect(hop.body).toContain(`<code>${error}</code>`);
  }
  return hop.body;
}
