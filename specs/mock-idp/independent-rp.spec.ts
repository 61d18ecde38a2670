/**
 * The mock works with any standards-compliant relying party, not only openid-client: a second RP written from
 * the specifications (specs/support/independent-rp.ts) runs the whole flow and its own validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, offlineClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { IndependentRp } from '../support/independent-rp.ts';

let idp: TestIdp;
let rp: IndependentRp;
beforeAll(async () => {
  idp = await startTestIdp();
  rp = await IndependentRp.discover(idp.issuer, offlineClient);
});
afterAll(() => idp.dispose());

describe('an independent relying party (fetch + jose, written from OIDC Core 3.3)', () => {
  it('[#c-hash] [#hybrid-response] signs in with the hybrid flow, refreshes twice and is sent back after logout', async () => {
    const agent = new UserAgent();
    const { url, transaction } = rp.beginSignIn();
    const { response } = await agent.signIn(url, alice);
    const tokens = await rp.finishSignIn(response.fields, transaction);
    expect(tokens.claims.sub).toBe(alice.id);
    expect(tokens.refreshToken).toBeTruthy();

    const once = await rp.refresh(tokens.refreshToken as string);
    const twice = await rp.refresh(once.refreshToken as string);
    expect(twice.claims.sub).toBe(alice.id);

    const logout = await agent.request(
      rp.endSessionUrl(twice.idToken, offlineClient.postLogoutRedirectUri, 's1'),
    );
    expect(logout.response.headers.get('location')).toBe(`${offlineClient.postLogoutRedirectUri}?state=s1`);
  });

  it('[#c-hash] [#hybrid-response] reuses the single-sign-on session: a second sign-in in the same browser shows no login page', async () => {
    const agent = new UserAgent();
    const first = rp.beginSignIn();
    await rp.finishSignIn((await agent.signIn(first.url, alice)).response.fields, first.transaction);
    const second = rp.beginSignIn();
    const again = await agent.signIn(second.url, null);
    expect(again.loginShown).toBe(false);
    expect((await rp.finishSignIn(again.response.fields, second.transaction)).claims.sub).toBe(alice.id);
  });
});
