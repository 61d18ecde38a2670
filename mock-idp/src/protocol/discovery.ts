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

export function discoveryDocument(issuer: string) {
  return {
    issuer,
    jwks_uri: issuer + endpointPaths.jwks,
    authorization_endpoint: issuer + endpointPaths.authorize,
    token_endpoint: issuer + endpointPaths.token,
    userinfo_endpoint: issuer + endpointPaths.userinfo,
    end_session_endpoint: issuer + endpointPaths.endSession,
    revocation_endpoint: issuer + endpointPaths.revocation,
    scopes_supported: supportedScopes,
    claims_supported: [
      'sub',
      'tid',
      'name',
      'given_name',
      'family_name',
      'email',
      'email_verified',
      'role',
      'sid',
      'auth_time',
      'amr',
      'idp',
    ],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types_supported: ['code id_token'],
    response_modes_supported: ['form_post', 'fragment'],
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
