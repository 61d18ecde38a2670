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
} as const;

/**
 * The endpoints live under the authority (the URL the server is reached at); `issuer` is the name the server
 * announces and signs with, which may differ (IdentityServer's IssuerUri setting).
 */
export function discoveryDocument(issuer: string, authority: string) {
  return {
    issuer,
    jwks_uri: authority + endpointPaths.jwks,
    authorization_endpoint: authority + endpointPaths.authorize,
    token_endpoint: authority + endpointPaths.token,
    userinfo_endpoint: authority + endpointPaths.userinfo,
    end_session_endpoint: authority + endpointPaths.endSession,
    revocation_endpoint: authority + endpointPaths.revocation,
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
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types_supported: ['code id_token', 'code token', 'code id_token token'],
    response_modes_supported: ['fragment', 'form_post'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login'],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    frontchannel_logout_supported: false,
    backchannel_logout_supported: false,
  };
}
