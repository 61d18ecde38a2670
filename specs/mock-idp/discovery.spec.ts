/**
 * Discovery and signing keys: the metadata names the issuer it was asked for and the Data Hub endpoints, the
 * hybrid response type and RS256; the JWKS publishes RS256 public keys with a kid, and no private members.
 * OpenID Foundation: oidcc-discovery-issuer-not-matching-config, oidcc-server. Runs against any target.
 */
import { describe, expect, it } from 'vitest';
import { useTarget } from '../support/target.ts';

const target = useTarget();
const metadataOf = async () => (await fetch(`${target().issuer}/.well-known/openid-configuration`)).json();

describe('discovery', () => {
  it('names the issuer it was asked for, the hybrid response type, form_post and RS256', async () => {
    const metadata = await metadataOf();
    expect(metadata.issuer).toBe(target().issuer);
    expect(metadata.response_types_supported).toContain('code id_token');
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256');
    expect(metadata.response_modes_supported ?? ['form_post']).toContain('form_post');
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'end_session_endpoint',
      'jwks_uri',
    ]) {
      expect(metadata[endpoint], endpoint).toMatch(/^https?:\/\//);
    }
  });

  it('publishes the Data Hub endpoints under /identity/connect, hybrid only, PKCE S256 (the bundled mock)', async (ctx) => {
    if (!target().mock) ctx.skip('Data Hub shape checked on the bundled mock only');
    const { issuer } = target();
    expect(await metadataOf()).toMatchObject({
      authorization_endpoint: `${issuer}/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      userinfo_endpoint: `${issuer}/connect/userinfo`,
      end_session_endpoint: `${issuer}/connect/endsession`,
      revocation_endpoint: `${issuer}/connect/revocation`,
      response_types_supported: ['code id_token', 'code token', 'code id_token token'],
      response_modes_supported: ['fragment', 'form_post'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: expect.arrayContaining(['openid', 'ocsapi', 'offline_access']),
    });
  });

  it('[#id-token-signature] publishes RS256 public keys with a kid, and no private key material', async () => {
    const jwks = await (await fetch((await metadataOf()).jwks_uri)).json();
    const rs256 = jwks.keys.filter((key: { alg?: string; kty: string }) => key.kty === 'RSA');
    expect(rs256.length).toBeGreaterThan(0);
    for (const key of rs256) {
      expect(key).toMatchObject({ kty: 'RSA', kid: expect.any(String) });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
    }
  });
});
