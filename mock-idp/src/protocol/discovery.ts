/** OpenID Provider metadata (OpenID Connect Discovery 1.0), shaped like the Data Hub identity server's. */
import { supportedScopes } from './scopes.ts';

export const endpointPaths = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  authorize: '/connect/authorize',
  token: '/connect/token',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  revocation: '/connect/revocation',
  login: '/account/login',
  consent: '/account/consent',
} as const;

/**
 * The endpoints live under the authority (the URL the server is reached at); `issuer` is the name the server
 * announces and signs with, which may differ (IdentityServer's IssuerUri setting). The entries are those
 * IdentityServer4 4.x's DiscoveryResponseGenerator writes with its default options, less what the mock does not
 * serve (check_session_iframe, introspection and device authorization: recorded in the rule catalogue, rule
 * discovery-contents). What it lists is what the server knows, not what a hybrid client may use: a hybrid client
 * asking for `code` or `query` is refused all the same.
 */
export function discoveryDocument(issuer: string, authority: string, { issParameter = false } = {}) {
  return {
    issuer,
    jwks_uri: authority + endpointPaths.jwks,
    authorization_endpoint: authority + endpointPaths.authorize,
    token_endpoint: authority + endpointPaths.token,
    userinfo_endpoint: authority + endpointPaths.userinfo,
    end_session_endpoint: authority + endpointPaths.endSession,
    revocation_endpoint: authority + endpointPaths.revocation,
    // No client registers a front- or back-channel logout URI through the HybridClients API, so none is called.
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    scopes_supported: supportedScopes,
    claims_supported: [
      'sub',
      'tid',
      'name',
      'given_name',
      'family_name',
      'email',
      'email_verified',
      'role_type',
      'sid',
      'auth_time',
      'amr',
      'idp',
    ],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'implicit'],
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
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    // The server knows both; every client refuses plain (AllowPlainTextPkce is off by default).
    code_challenge_methods_supported: ['plain', 'S256'],
    // Request objects are read, and refused for want of a key (hybrid clients register secrets only).
    request_parameter_supported: true,
    ...(issParameter && { authorization_response_iss_parameter_supported: true }),
  };
}
