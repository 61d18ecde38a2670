/**
 * [#token-lifetime-issued] An access token lives exactly the client's token lifetime, even when minting it spans a
 * second boundary. Seen once in CI: exp - iat was 3601, because iat and exp came from two readings of the clock.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { newHybridClient } from '../../mock-idp/src/domain/hybrid-clients.ts';
import { SigningKeys } from '../../mock-idp/src/keys/signing-keys.ts';
import { issueTokens } from '../../mock-idp/src/protocol/grants/issue-tokens.ts';
import { TokenMinter } from '../../mock-idp/src/protocol/token-minting.ts';

/** A clock at the last millisecond of a second: each reading is one millisecond later, in the next second. */
function clockAtASecondsEnd() {
  let ms = 1_700_000_000_998;
  return { now: () => (ms += 1) };
}

const client = newHybridClient(
  {
    name: 'App',
    enabled: true,
    accessTokenLifetime: 3600,
    redirectUris: ['https://app.example/callback'],
    postLogoutRedirectUris: [],
    clientUri: null,
    logoUri: null,
    allowOfflineAccess: true,
    allowAccessTokensViaBrowser: false,
    tags: [],
  },
  'c0ffee00-0000-4000-8000-000000000002',
  0,
);
const minterAtASecondsEnd = async () =>
  new TokenMinter('https://idp.example/identity', await SigningKeys.generate(), clockAtASecondsEnd());

describe('minting an access token', () => {
  it('[#token-lifetime-issued] makes exp - iat the client token lifetime, even across a second boundary', async () => {
    const minter = await minterAtASecondsEnd();
    const { token, expiresIn } = await minter.accessToken({
      client,
      scopes: ['openid', 'ocsapi'],
      user: null,
      sessionId: null,
      authTime: null,
    });
    const claims = decodeJwt(token);
    expect(expiresIn).toBe(3600);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
  });

  it('[#token-lifetime-issued] makes exp - iat the lifetime at the code exchange too, where the refresh-token family keeps the token', async () => {
    const minter = await minterAtASecondsEnd();
    const { access_token: token, expires_in: expiresIn } = await issueTokens(
      { minter },
      {
        client,
        scopes: ['openid', 'ocsapi'],
        signedIn: null,
        refreshToken: null,
        accessToken: { kept: minter.newAccessToken({ client, user: null }), reissued: false },
      },
    );
    const claims = decodeJwt(token);
    expect(expiresIn).toBe(3600);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
  });
});
