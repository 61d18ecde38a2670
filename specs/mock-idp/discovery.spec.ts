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

  it('[#discovery-contents] publishes the Data Hub endpoints under /identity/connect and what IdentityServer4 4.x lists (the bundled mock)', async (ctx) => {
    if (!target().mock) ctx.skip('Data Hub shape checked on the bundled mock only');
    const { issuer } = target();
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    // IdentityServer4 sets no Cache-Control on discovery unless ResponseCacheInterval is configured.
    expect(response.headers.get('cache-control')).toBeNull();
    const metadata = await response.json();
    expect(metadata).toMatchObject({
      authorization_endpoint: `${issuer}/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      userinfo_endpoint: `${issuer}/connect/userinfo`,
      end_session_endpoint: `${issuer}/connect/endsession`,
      revocation_endpoint: `${issuer}/connect/revocation`,
      response_types_supported: [
        'code',
        'token',
        'id_token',
        'id_token token',
        'code id_token',
        'code token',
        'code id_token token',
      ],
      response_modes_supported: ['form_post', 'query', 'fragment'],
      code_challenge_methods_supported: ['plain', 'S256'],
      request_parameter_supported: true,
      frontchannel_logout_supported: true,
      backchannel_logout_supported: true,
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'implicit'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: expect.arrayContaining(['openid', 'ocsapi', 'offline_access']),
    });
    // Not in IdentityServer4 4.x's document (request_uri is off; RFC 9207 came later); nor what the mock does not serve.
    for (const absent of [
      'request_uri_parameter_supported',
      'claims_parameter_supported',
      'prompt_values_supported',
      'authorization_response_iss_parameter_supported',
      'check_session_iframe',
      'introspection_endpoint',
      'device_authorization_endpoint',
    ]) {
      expect(metadata, absent).not.toHaveProperty(absent);
    }
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
