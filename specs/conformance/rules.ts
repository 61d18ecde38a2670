/**
 * The one catalogue of rules the kit proves: what AVEVA Data Hub's identity server and API do wherever an
 * application can tell, where that is written down, what the mock does, and (through the specs that name a rule
 * as [#id] in a title) the proof. The conformance report and docs/fidelity.md are generated from it.
 *
 * A source is something a reader can open: an AVEVA documentation page (the public developer-docs repository
 * AVEVA publishes its API reference and "Get started" pages from), an AVEVA sample, an IdentityServer4 default
 * (the Data Hub identity server is built on IdentityServer; a default is *not confirmed* for Data Hub, and says so),
 * or a standard.
 */

import { type Reference, scenarioCatalogue } from '../../mock-idp/src/scenarios/catalogue.ts';

export type SourceKind =
  | 'AVEVA documentation'
  | 'AVEVA sample'
  | 'IdentityServer4 default, not confirmed for Data Hub'
  | 'ASP.NET Core Identity default, not confirmed for Data Hub'
  | 'standard'
  | 'OpenID Foundation RP test';

export interface Source {
  kind: SourceKind;
  title: string;
  url: string;
}

export const sourceLabel = (source: Source): string => `${source.title} (${source.kind}): ${source.url}`;

const docs = 'https://github.com/AVEVA/CONNECT-data-services-developer-docs/blob/main/content';
const is4 = 'https://github.com/IdentityServer/IdentityServer4/blob/main/src/IdentityServer4/src';
const aveva = (title: string, path: string): Source => ({
  kind: 'AVEVA documentation',
  title,
  url: `${docs}/${path}`,
});
const identityServer = (title: string, path: string): Source => ({
  kind: 'IdentityServer4 default, not confirmed for Data Hub',
  title,
  url: `${is4}/${path}`,
});
const standard = (title: string, url: string): Source => ({ kind: 'standard', title, url });

export const sources = {
  getStarted: {
    kind: 'AVEVA documentation',
    title: '"Get started with hybrid clients" (page uid gsHybridClients; Data Hub and OCS editions)',
    url: 'https://github.com/AVEVA/CONNECT-data-services-developer-docs',
  },
  hybridClients: aveva('HybridClients API reference', 'api-reference/identity/identity-hybrid-clients.md'),
  secrets: aveva('Secrets API reference', 'api-reference/identity/identity-secrets.md'),
  namespaces: aveva('Namespaces API reference', 'api-reference/tenant/tenant-namespaces.md'),
  dotnetSample: {
    kind: 'AVEVA sample',
    title: 'AVEVA hybrid authentication sample (.NET)',
    url: 'https://github.com/AVEVA/sample-adh-authentication_hybrid-dotnet',
  },
  dotnetSampleSignIn: {
    kind: 'AVEVA sample',
    title:
      "AVEVA hybrid sample's sign-in, HybridFlow/Hybrid.cs (IdentityModel.OidcClient: hybrid flow, form_post, PKCE S256 always)",
    url: 'https://github.com/AVEVA/sample-adh-authentication_hybrid-dotnet/blob/main/HybridFlow/Hybrid.cs',
  },
  grafanaSample: {
    kind: 'AVEVA sample',
    title: 'AVEVA Data Hub Grafana data source (README: hybrid client setup, role_type)',
    url: 'https://github.com/AVEVA/sample-adh-grafana_backend_plugin-datasource',
  },
  is4Authorize: identityServer(
    'AuthorizeRequestValidator (response types, modes, PKCE, AllowAccessTokensViaBrowser)',
    'Validation/Default/AuthorizeRequestValidator.cs',
  ),
  is4Token: identityServer(
    'TokenRequestValidator (codes, refresh tokens, one-time use)',
    'Validation/Default/TokenRequestValidator.cs',
  ),
  is4Client: {
    kind: 'IdentityServer4 default, not confirmed for Data Hub',
    title:
      'Client model defaults, 4.x (RequirePkce true, code lifetime 300 s, one-time refresh tokens, 30-day absolute lifetime)',
    url: 'https://github.com/IdentityServer/IdentityServer4/blob/main/src/Storage/src/Models/Client.cs',
  },
  is4TokenResponse: identityServer(
    'TokenResponseGenerator (ProcessRefreshTokenRequestAsync: the stored access token, the family scopes)',
    'ResponseHandling/Default/TokenResponseGenerator.cs',
  ),
  is4BearerUsage: identityServer(
    'BearerTokenUsageValidator (the access token of a UserInfo request: header, then form body)',
    'Validation/Default/BearerTokenUsageValidator.cs',
  ),
  is4Revocation: identityServer(
    'TokenRevocationRequestValidator and revocation response generator',
    'ResponseHandling/Default/TokenRevocationResponseGenerator.cs',
  ),
  is4Errors: identityServer(
    'TokenErrorResult (error bodies: HTTP 400, no challenge)',
    'Endpoints/Results/TokenErrorResult.cs',
  ),
  is4EndSession: identityServer(
    'EndSessionRequestValidator (post_logout_redirect_uri needs id_token_hint)',
    'Validation/Default/EndSessionRequestValidator.cs',
  ),
  is4Options: identityServer(
    'IdentityServerOptions.IssuerUri',
    'Configuration/DependencyInjection/Options/IdentityServerOptions.cs',
  ),
  is4LoginPage: identityServer(
    'LoginPageResult (the authorization request travels to the login page in returnUrl)',
    'Endpoints/Results/LoginPageResult.cs',
  ),
  aspnetLockout: {
    kind: 'ASP.NET Core Identity default, not confirmed for Data Hub',
    title: 'Identity options: lockout after 5 failed attempts, for 5 minutes',
    url: 'https://learn.microsoft.com/en-us/aspnet/core/security/authentication/identity-configuration#lockout',
  },
  oidcCore: standard('OpenID Connect Core 1.0', 'https://openid.net/specs/openid-connect-core-1_0.html'),
  rpLogout: standard(
    'OpenID Connect RP-Initiated Logout 1.0',
    'https://openid.net/specs/openid-connect-rpinitiated-1_0.html',
  ),
  oauth: standard('RFC 6749, OAuth 2.0', 'https://www.rfc-editor.org/rfc/rfc6749'),
  pkce: standard('RFC 7636, PKCE', 'https://www.rfc-editor.org/rfc/rfc7636'),
  revocation: standard('RFC 7009, token revocation', 'https://www.rfc-editor.org/rfc/rfc7009'),
  nativeApps: standard('RFC 8252, OAuth 2.0 for native apps', 'https://www.rfc-editor.org/rfc/rfc8252'),
  bcp: standard(
    'RFC 9700, OAuth 2.0 security best current practice',
    'https://www.rfc-editor.org/rfc/rfc9700',
  ),
} satisfies Record<string, Source>;

export type Area =
  | 'Client registration'
  | 'Sign-in request'
  | 'Sign-in response'
  | 'Code exchange and tokens'
  | 'Refresh tokens'
  | 'Client authentication'
  | 'Sign-out'
  | 'HybridClients API'
  | 'Data Hub API'
  | 'Sign-in page and portal'
  | 'Sample app'
  | 'Native app'
  | 'Hardening of the mock'
  | 'Test scenarios';

export interface Rule {
  id: string;
  area: Area;
  /** What the kit proves, in one sentence. */
  rule: string;
  /** What AVEVA Data Hub does, as far as an application can tell. */
  dataHub: string;
  sources: Source[];
  /** What the mock does, when it is not simply the same as `dataHub`. */
  mock?: string;
  /** A known divergence: the mock cannot (or does not) behave like the real service here. */
  divergence?: true;
}

const fromReference = (reference: Reference): Source => ({
  kind:
    reference.kind === 'IdentityServer4 behaviour'
      ? 'IdentityServer4 default, not confirmed for Data Hub'
      : reference.kind,
  title: reference.title,
  url: reference.url,
});

const expectations = {
  accept: 'A correct app accepts it.',
  refuse: 'A correct app refuses it: no session, an error page.',
  either: 'A correct app may accept or refuse it, never crash.',
  recover: 'A correct app answers within its time limit without a stack trace, and the next sign-in works.',
} as const;

/** The test scenarios are kit behaviour: what the mock does when a test asks it to misbehave. */
const scenarioRules: Rule[] = scenarioCatalogue.map((scenario) => ({
  id: `scenario-${scenario.name}`,
  area: 'Test scenarios',
  rule: `${scenario.name}: ${scenario.changes} ${expectations[scenario.expect]}`,
  dataHub: `Never on purpose: the scenario imitates a forgery, an attack or a fault. ${scenario.why}`,
  sources: scenario.references.map(fromReference),
  mock: 'Set for one client (POST /__mock__/scenarios, or idp.scenarios.set in process), for its next `times` responses.',
}));

export const rules: Rule[] = [
  // Client registration
  {
    id: 'redirect-uri-limits',
    area: 'Client registration',
    rule: 'A hybrid client has 1 to 10 redirect URLs and 0 to 10 logout redirect URLs, absolute http(s), without fragment.',
    dataHub: 'Maximum 10 redirect URIs and 10 logout redirect URIs per client.',
    sources: [sources.hybridClients],
    mock: 'The same, and also refuses relative URLs, fragments and credentials in a URL (a standards rule).',
  },
  {
    id: 'redirect-uri-wildcard-literal',
    area: 'Client registration',
    rule: 'A * in a registered URL is accepted and matched literally, never as a pattern.',
    dataHub: '"Wildcards are ignored. URIs must match exactly what you are redirecting to."',
    sources: [sources.hybridClients],
  },
  {
    id: 'token-lifetime-default',
    area: 'Client registration',
    rule: 'The token lifetime defaults to 3600 seconds, the maximum.',
    dataHub: 'Token Lifetime: "The default, 3600 seconds (one hour), is the maximum length of time."',
    sources: [sources.getStarted, sources.hybridClients],
  },
  {
    id: 'token-lifetime-range',
    area: 'Client registration',
    rule: 'The token lifetime is at least 60 and at most 3600 seconds.',
    dataHub: '"The minimum value is 60 seconds"; the maximum 3600.',
    sources: [sources.getStarted, sources.hybridClients],
  },
  {
    id: 'secret-default-expiry',
    area: 'Client registration',
    rule: 'A secret added in the portal expires one year after creation unless another date is chosen.',
    dataHub: 'The Add Secret dialog proposes an expiration date one year ahead, or Never Expires.',
    sources: [sources.getStarted],
    mock: 'The same in the portal. The API: a client created without SecretExpirationDate also gets one year (not documented; .NET would read an absent date as null, "never expires").',
  },
  {
    id: 'secret-never-expires',
    area: 'Client registration',
    rule: 'A secret can be set to never expire, and can still be deleted.',
    dataHub: 'SecretExpirationDate null, or Expires false with no Expiration: the secret never expires.',
    sources: [sources.getStarted, sources.hybridClients, sources.secrets],
  },
  {
    id: 'secret-shown-once',
    area: 'Client registration',
    rule: 'A secret value is shown once, at creation, and only its hash is kept.',
    dataHub: '"The platform does not store secret values"; Client Successfully Created shows it once.',
    sources: [sources.getStarted, sources.secrets],
  },
  {
    id: 'secret-rotation',
    area: 'Client registration',
    rule: 'Several valid secrets of one client all authenticate (rotation); at most 10.',
    dataHub: '"A client can have a maximum of 10 secrets"; a unique description for each.',
    sources: [sources.getStarted, sources.secrets],
  },
  {
    id: 'client-change-delay',
    area: 'Client registration',
    rule: 'Client modifications may take up to an hour before being visibly updated.',
    dataHub: 'Changes and deletions "can take up to one hour" to reach the authentication process.',
    sources: [sources.getStarted, sources.hybridClients],
    mock: 'At once by default; MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS sets a delay to test against.',
    divergence: true,
  },

  // Sign-in request
  {
    id: 'redirect-uri-exact',
    area: 'Sign-in request',
    rule: 'A redirect URL must match an Allowed Redirect URL exactly: no query added, same case, no trailing slash, same port and scheme.',
    dataHub: '"URIs must match exactly what you are redirecting to after login."',
    sources: [sources.getStarted, sources.hybridClients],
  },
  {
    id: 'redirect-uri-unregistered',
    area: 'Sign-in request',
    rule: 'An unregistered redirect URL gets an error page at the identity server and is never redirected to.',
    dataHub:
      'The authentication "will fail"; IdentityServer shows its error page and never redirects to an unregistered URI.',
    sources: [sources.hybridClients, sources.is4Authorize],
  },
  {
    id: 'redirect-uri-required',
    area: 'Sign-in request',
    rule: 'A sign-in request without a redirect URL is refused.',
    dataHub: 'redirect_uri is required.',
    sources: [sources.is4Authorize, sources.oidcCore],
  },
  {
    id: 'hybrid-response',
    area: 'Sign-in request',
    rule: 'A hybrid client uses a hybrid response type: code id_token (or, with AllowAccessTokensViaBrowser, code token and code id_token token); query is refused.',
    dataHub:
      'Response types of other flows: unauthorized_client; unknown ones: unsupported_response_type; response_mode=query: unsupported_response_type.',
    sources: [sources.is4Authorize, sources.dotnetSample],
  },
  {
    id: 'default-response-mode',
    area: 'Sign-in request',
    rule: 'Without response_mode the answer comes in the fragment; form_post only when asked; no response_type gets an error page.',
    dataHub:
      "IdentityServer's default mode for the hybrid flow is fragment. AVEVA's sample asks for form_post.",
    sources: [sources.is4Authorize, sources.dotnetSample],
  },
  {
    id: 'access-tokens-via-browser',
    area: 'Sign-in request',
    rule: 'AllowAccessTokensViaBrowser decides whether code token and code id_token token may put an access token in the browser.',
    dataHub:
      'Documented property of a hybrid client. Refused with unauthorized_client when off (Duende IdentityServer; IdentityServer4 4.x answered invalid_request).',
    sources: [sources.hybridClients, sources.is4Authorize],
  },
  {
    id: 'nonce-required',
    area: 'Sign-in request',
    rule: 'The nonce is required, and returned in the id_token.',
    dataHub: 'Required for the hybrid flow with openid.',
    sources: [sources.is4Authorize, sources.oidcCore, sources.dotnetSample],
  },
  {
    id: 'pkce',
    area: 'Sign-in request',
    rule: 'PKCE S256 is required: a sign-in request without code_challenge is refused (invalid_request, "code challenge required"), plain is refused, and the token endpoint refuses a missing verifier, one shorter than 43 or longer than 128 characters, or one that does not match (invalid_grant).',
    dataHub:
      "IdentityServer4 4.x requires PKCE of every client unless it is switched off (Client.RequirePkce defaults to true, AllowPlainTextPkce to false), and its token request validator refuses a verifier outside 43..128 characters. Data Hub's HybridClients API has no PKCE setting, so the default is assumed; AVEVA's hybrid sample signs in with IdentityModel.OidcClient, which always sends PKCE S256, and would work either way.",
    sources: [
      sources.is4Client,
      sources.is4Authorize,
      sources.is4Token,
      sources.pkce,
      sources.dotnetSampleSignIn,
    ],
  },
  {
    id: 'tenant',
    area: 'Sign-in request',
    rule: 'acr_values=tenant:{id} must name the client tenant; tokens carry tid, and other tenants are refused.',
    dataHub: "AVEVA's sample sends acr_values=tenant:{tenantId}; tokens carry tid.",
    sources: [sources.dotnetSample, sources.grafanaSample],
  },

  // Sign-in response
  {
    id: 'state-echoed',
    area: 'Sign-in response',
    rule: 'The state of a sign-in request is echoed to the redirect URL.',
    dataHub: 'state is returned unchanged.',
    sources: [sources.oidcCore],
  },
  {
    id: 'c-hash',
    area: 'Sign-in response',
    rule: 'The front-channel id_token carries c_hash, binding it to the code.',
    dataHub: 'c_hash in the hybrid flow id_token (and at_hash when an access token comes along).',
    sources: [sources.oidcCore],
  },
  {
    id: 's-hash',
    area: 'Sign-in response',
    rule: "When the sign-in request had a state, both id_tokens of the sign-in (the front channel's and the token endpoint's) carry s_hash, the left half of the SHA-256 of the state; without state, neither does.",
    dataHub:
      'IdentityServer4 computes the state hash for the front-channel id_token and keeps it with the code for the id_token of the code exchange; not confirmed for Data Hub. An app need not check it (OpenID Connect Core leaves s_hash to the Financial-grade profile), but must accept it.',
    sources: [
      identityServer(
        'AuthorizeResponseGenerator (hybrid response: code, id_token with c_hash and s_hash)',
        'ResponseHandling/Default/AuthorizeResponseGenerator.cs',
      ),
    ],
  },
  {
    id: 'issuer-apart-from-authority',
    area: 'Sign-in response',
    rule: 'The issuer may differ from the authority URL; a relying party pins it by configuration, never by turning checks off.',
    dataHub:
      "AVEVA's .NET sample turns issuer-name validation off; AVEVA's API samples pin https://identity.aveva.com as the token issuer.",
    sources: [sources.dotnetSample, sources.is4Options],
    mock: "The authority URL by default; MOCK_IDP_ISSUER_URI announces another (as IdentityServer's IssuerUri).",
  },
  {
    id: 'form-post-cross-site',
    area: 'Sign-in response',
    rule: 'The form_post callback works when the identity server and the application are different sites.',
    dataHub: 'The identity server and the application are always different sites in production.',
    sources: [sources.dotnetSample, sources.oidcCore],
  },

  // Code exchange and tokens
  {
    id: 'code-single-use',
    area: 'Code exchange and tokens',
    rule: 'An authorization code is used once: a second use fails with invalid_grant.',
    dataHub: 'Codes are single use.',
    sources: [sources.is4Token, sources.oauth],
  },
  {
    id: 'code-used-up-on-failure',
    area: 'Code exchange and tokens',
    rule: 'A code is removed when its own client first presents it, before it is checked: a failed exchange (expired, another redirect_uri, a wrong PKCE verifier) uses it up, and the application must sign the user in again.',
    dataHub:
      'IdentityServer removes the code right after checking that it belongs to the client, then checks expiry, redirect_uri and PKCE. Codes are held in memory only in the mock: a crash of the mock costs a sign-in, never a token.',
    sources: [sources.is4Token],
  },
  {
    id: 'replay-revokes-nothing',
    area: 'Code exchange and tokens',
    rule: 'A replayed code or refresh token fails with invalid_grant and nothing else is revoked.',
    dataHub:
      'IdentityServer refuses the replay and revokes nothing (RFC 6749 says SHOULD revoke: an application must not count on either).',
    sources: [sources.is4Token],
  },
  {
    id: 'code-lifetime',
    area: 'Code exchange and tokens',
    rule: 'An authorization code lives 300 seconds.',
    dataHub: 'AuthorizationCodeLifetime 300 s.',
    sources: [sources.is4Client],
  },
  {
    id: 'code-redirect-match',
    area: 'Code exchange and tokens',
    rule: 'The code is redeemed with the redirect URL it was issued for.',
    dataHub: 'redirect_uri must match the authorization request.',
    sources: [sources.is4Token, sources.oauth],
  },
  {
    id: 'token-lifetime-issued',
    area: 'Code exchange and tokens',
    rule: 'Issued access tokens live exactly the client token lifetime (exp - iat), and the API refuses them after it.',
    dataHub: 'AccessTokenLifetime: "Lifetime of access token issued for this client after authentication."',
    sources: [sources.hybridClients, sources.getStarted],
  },
  {
    id: 'id-token-signature',
    area: 'Code exchange and tokens',
    rule: 'Tokens are signed RS256 with a published kid.',
    dataHub: "RS256 JWTs with kid, keys at the discovery document's jwks_uri.",
    sources: [sources.dotnetSample, sources.oidcCore],
  },
  {
    id: 'role-type',
    area: 'Code exchange and tokens',
    rule: "Tenant roles reach applications as role_type claims holding role ids, in access tokens (users' and clients') and userinfo.",
    dataHub:
      "role_type with role ids: Tenant Administrator 2dc742ab-…, Tenant Member 7ad2b9ef-…, and so on (AVEVA's sample libraries' constants); Grafana's documented setup reads role_type from userinfo.",
    sources: [sources.grafanaSample],
  },
  {
    id: 'userinfo-token-usage',
    area: 'Code exchange and tokens',
    rule: 'UserInfo takes the access token in the Authorization header (GET or POST) or, with no such header, as the access_token field of a form-encoded POST body.',
    dataHub:
      "IdentityServer4 reads a Bearer Authorization header first, then a form body's access_token (RFC 6750 2.1 and 2.2); a query parameter is not read.",
    sources: [
      sources.is4BearerUsage,
      standard('RFC 6750, bearer token usage', 'https://www.rfc-editor.org/rfc/rfc6750#section-2.2'),
    ],
  },
  {
    id: 'access-token-scope',
    area: 'Code exchange and tokens',
    rule: "An access token's scope claim is a JSON array of the granted scopes; the mock's own UserInfo and API also read a space-delimited string.",
    dataHub:
      "IdentityServer4 emits scopes in JWTs as an array (IdentityServerOptions.EmitScopesAsSpaceDelimitedStringInJwt defaults to false); not confirmed for Data Hub. An API that reads access tokens should accept both forms (RFC 9068 writes a string). The token response's scope parameter stays a string.",
    sources: [
      identityServer(
        'IdentityServerOptions (EmitScopesAsSpaceDelimitedStringInJwt = false, AccessTokenJwtType at+jwt)',
        'Configuration/DependencyInjection/Options/IdentityServerOptions.cs',
      ),
      standard('RFC 9068, JWT access tokens, 2.2.3', 'https://www.rfc-editor.org/rfc/rfc9068#section-2.2.3'),
    ],
  },
  {
    id: 'access-token-format',
    area: 'Code exchange and tokens',
    rule: "An access token's jti is 16 random bytes in hex; its aud names the Data Hub API (ocsapi) when that scope was granted, and is absent otherwise.",
    dataHub:
      'IdentityServer4 4.x adds jti by default (Client.IncludeJwtId) as CryptoRandom.CreateUniqueId(16, Hex), and builds aud from the API resources of the granted scopes; the static issuer/resources audience is off by default (EmitStaticAudienceClaim). Not confirmed for Data Hub; an application should treat access tokens as opaque.',
    sources: [
      identityServer(
        'DefaultTokenService (access token claims: jti, aud)',
        'Services/Default/DefaultTokenService.cs',
      ),
      sources.is4Client,
    ],
  },
  {
    id: 'access-token-not-revocable',
    area: 'Code exchange and tokens',
    rule: 'Access tokens are JWTs: revoking one answers 200 and changes nothing; signing out does not end them; they live until they expire.',
    dataHub:
      'JWT access tokens cannot be revoked; "access tokens issued ... will be valid until their expiration".',
    sources: [sources.is4Revocation, sources.hybridClients, sources.secrets],
  },

  // Refresh tokens
  {
    id: 'refresh-keeps-access-token',
    area: 'Refresh tokens',
    rule: "A refresh issues the family's first access token again: the same claims (roles as they were at sign-in, jti, iat), valid from now for the client's access-token lifetime. A role change shows at the next sign-in.",
    dataHub:
      "IdentityServer4 4.x's Client.UpdateAccessTokenClaimsOnRefresh is false by default, and its TokenResponseGenerator then signs the refresh token's stored access token again with a new creation time and lifetime. Not confirmed for Data Hub: an application should not count on a refresh to pick up role changes.",
    sources: [sources.is4Client, sources.is4TokenResponse],
  },
  {
    id: 'refresh-keeps-scopes',
    area: 'Refresh tokens',
    rule: 'A refresh answers with the scopes of the sign-in that started the family; a scope parameter is ignored, whether narrower or wider.',
    dataHub:
      "IdentityServer4 4.x makes the refreshed tokens from the family's stored access token and scopes, and never reads a scope parameter on a refresh (RFC 6749 section 6 lets a server allow narrowing; it does not). Not confirmed for Data Hub.",
    sources: [sources.is4TokenResponse, sources.is4Token],
  },
  {
    id: 'refresh-only-when-allowed',
    area: 'Refresh tokens',
    rule: 'Refresh tokens are issued only to a client with Allow Refresh Token that asked for offline_access; others asking for it get invalid_scope.',
    dataHub: 'Allow Refresh Token ("AllowOfflineAccess ... by providing the offline_access scope").',
    sources: [sources.getStarted, sources.hybridClients, sources.dotnetSample],
  },
  {
    id: 'refresh-rotation',
    area: 'Refresh tokens',
    rule: 'A refresh token is used once: each refresh returns a new one.',
    dataHub:
      "One-time use (IdentityServer RefreshTokenUsage OneTimeOnly); AVEVA's sample stores the new one each time.",
    sources: [sources.is4Client, sources.dotnetSample],
  },
  {
    id: 'refresh-reuse',
    area: 'Refresh tokens',
    rule: "A used refresh token fails with invalid_grant, and another client's refresh token fails.",
    dataHub: 'invalid_grant.',
    sources: [sources.is4Token, sources.bcp],
  },
  {
    id: 'refresh-lifetime',
    area: 'Refresh tokens',
    rule: 'A refresh-token family ends at an absolute lifetime counted from sign-in, however often it is rotated (a setting).',
    dataHub:
      'IdentityServer: absolute lifetime, 30 days by default. AVEVA documents "up to 8 hours" for authorization-code clients.',
    sources: [sources.is4Client, sources.grafanaSample],
    mock: '30 days by default; MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS sets it (e.g. 28800 for 8 hours).',
  },
  {
    id: 'refresh-revocable',
    area: 'Refresh tokens',
    rule: 'A refresh token can be revoked (RFC 7009); it then fails with invalid_grant.',
    dataHub: 'Refresh tokens are revocable at the revocation endpoint.',
    sources: [sources.is4Revocation, sources.revocation],
  },

  // Client authentication
  {
    id: 'client-auth',
    area: 'Client authentication',
    rule: 'Clients authenticate at the token endpoint with client_secret_basic or client_secret_post.',
    dataHub: "AVEVA's sample sends the secret with the code exchange.",
    sources: [sources.dotnetSample, sources.oauth],
  },
  {
    id: 'invalid-client-400',
    area: 'Client authentication',
    rule: 'A refused client gets HTTP 400 {"error":"invalid_client"} with no WWW-Authenticate challenge.',
    dataHub: 'IdentityServer answers every token error with 400, invalid_client included.',
    sources: [sources.is4Errors, sources.oauth],
  },
  {
    id: 'secret-expired',
    area: 'Client authentication',
    rule: 'An expired secret no longer authenticates; tokens issued before stay valid until their own expiry.',
    dataHub:
      '"After a secret expires, it can no longer be used to authenticate the client." Issued tokens live on.',
    sources: [sources.secrets],
  },
  {
    id: 'secret-deleted',
    area: 'Client authentication',
    rule: 'A deleted secret no longer authenticates.',
    dataHub:
      'Deleting a secret stops it (may take up to an hour); tokens issued with it live until they expire.',
    sources: [sources.getStarted, sources.secrets],
  },
  {
    id: 'client-deletion',
    area: 'Client authentication',
    rule: 'Deleting a client: its access tokens live until they expire; its refresh tokens stop working after one hour.',
    dataHub: '"Refresh tokens issued to this will be valid up to one hour after deletion."',
    sources: [sources.hybridClients],
  },

  // Sign-out
  {
    id: 'logout-redirect-registered',
    area: 'Sign-out',
    rule: 'After sign-out, the user is sent only to an exactly registered Allowed Logout Redirect URL; otherwise a signed-out page.',
    dataHub: 'Allowed Logout Redirect URL(s), matched exactly.',
    sources: [sources.getStarted, sources.hybridClients, sources.is4EndSession],
  },
  {
    id: 'logout-id-token-hint',
    area: 'Sign-out',
    rule: 'The logout redirect needs a valid id_token_hint of that client: none, a bad or a tampered one gets the signed-out page.',
    dataHub: 'IdentityServer honours post_logout_redirect_uri only with a valid id_token_hint.',
    sources: [sources.is4EndSession, sources.rpLogout],
  },
  {
    id: 'logout-state',
    area: 'Sign-out',
    rule: 'The state of a sign-out request is echoed to the logout redirect URL.',
    dataHub: 'state is appended to the post-logout redirect.',
    sources: [sources.is4EndSession, sources.rpLogout],
  },

  // HybridClients API
  {
    id: 'admin-api',
    area: 'HybridClients API',
    rule: 'The HybridClients API creates, lists, changes and deletes clients and secrets in Data Hub shapes (PascalCase, Data Hub error bodies).',
    dataHub:
      'GET, HEAD, POST, PUT, DELETE under /api/v1/Tenants/{tenantId}/HybridClients; errors { OperationId, Error, Reason, Resolution }.',
    sources: [sources.hybridClients, sources.secrets],
  },
  {
    id: 'admin-api-roles',
    area: 'HybridClients API',
    rule: "Reading clients needs Tenant Member (or Self); creating, changing, deleting and every /Secrets route need Tenant Administrator; a user's token is a valid caller.",
    dataHub: '"Allowed for these roles" on each operation of the reference pages.',
    sources: [sources.hybridClients, sources.secrets],
    mock: 'The same. "Self" is a client acting for itself (no user): the mock\'s hybrid clients only ever act for users.',
  },
  {
    id: 'admin-api-list-filters',
    area: 'HybridClients API',
    rule: 'The list takes id (repeatable; then skip and count are ignored; unknown and blank ids ignored), tag, and query (accepted, not supported).',
    dataHub: 'As listed on the reference page, with Total-Count.',
    sources: [sources.hybridClients],
  },
  {
    id: 'admin-api-client-limit',
    area: 'HybridClients API',
    rule: 'A tenant holds at most 50,000 clients (of all types): the next is refused with 400.',
    dataHub: '"Currently there is a limit of 50000 clients (of all types) per tenant."',
    sources: [sources.hybridClients],
  },
  {
    id: 'client-put',
    area: 'HybridClients API',
    rule: 'PUT leaves absent or null properties unchanged.',
    dataHub: '"Properties that are not set or are null will not be changed."',
    sources: [sources.hybridClients, sources.secrets],
  },
  {
    id: 'secret-expires-rule',
    area: 'HybridClients API',
    rule: 'Expires defaults to true; true or null with no Expiration is a 400, false with an Expiration is a 400, false with none never expires; an Expiration in the past is a 400.',
    dataHub: 'The Expires property as documented on the Secrets reference page.',
    sources: [sources.secrets],
    mock: 'The same; the past-date rule follows the portal, which refuses it too.',
  },

  // Data Hub API
  {
    id: 'namespaces-api',
    area: 'Data Hub API',
    rule: 'GET /Namespaces answers Tenant Members with documented Namespace items (Id, Region, Self, Description, State, Owner, AccessControl, RegionId, InstanceId) and filters by region.',
    dataHub: 'The Namespaces reference page; "Allowed for these roles: Tenant Member".',
    sources: [sources.namespaces],
    mock: 'Three fixed namespaces; the ACL values are illustrative (no access control list is enforced).',
    divergence: true,
  },

  // Sign-in page and portal
  {
    id: 'login-page-ids',
    area: 'Sign-in page and portal',
    rule: 'The login page names its fields and button #email, #password and #submit.',
    dataHub: "The ids AVEVA's own browser test fills on the Data Hub sign-in page.",
    sources: [sources.dotnetSample],
  },
  {
    id: 'external-sign-in',
    area: 'Sign-in page and portal',
    rule: 'The mock signs users in with the email and password of its own accounts only; tokens say idp "local" and amr ["pwd"].',
    dataHub:
      'Users sign in at the Data Hub sign-in page through the identity providers their tenant uses (which the mock cannot know); an application sees only the result.',
    sources: [sources.dotnetSample, sources.getStarted],
    mock: 'One page with email and password, no identity-provider choice, no multi-factor step.',
    divergence: true,
  },
  {
    id: 'portal-procedure',
    area: 'Sign-in page and portal',
    rule: 'The portal follows the documented steps: Security > Clients, Hybrid, Add Client, the form, Add Secret, Client Successfully Created with Copy buttons.',
    dataHub: 'Create a hybrid client, steps 1 to 10.',
    sources: [sources.getStarted],
  },
  {
    id: 'portal-edit',
    area: 'Sign-in page and portal',
    rule: 'The portal edits a client (name, redirect and logout URLs, token lifetime, refresh tokens) and deletes it, through the same rules as the HybridClients API; removing a client or a secret is confirmed first; creating answers with a redirect, so a reload creates nothing and the secret is shown once.',
    dataHub:
      'The client is changed and its secrets replaced from the Details pane; the API changes a client with PUT and removes it with DELETE. Client modifications may take up to an hour.',
    sources: [sources.getStarted, sources.hybridClients],
    mock: "The confirmation windows and the post-then-redirect are the kit's: the documents do not describe them. The note about the delay shows only when MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS sets one, with its length.",
  },
  {
    id: 'portal-ocs-edition',
    area: 'Sign-in page and portal',
    rule: 'With MOCK_IDP_EDITION=ocs the portal follows the OSIsoft Cloud Services edition: OCS wording, the menu icon then Clients under Security, no Add Secret step, and a Client Successfully Created window with the client Id and a Copy icon only.',
    dataHub:
      'OCS edition of "Get started with hybrid clients", steps 1 to 9; the OCS identity server was https://dat-b.osisoft.com/identity (AVEVA samples written for OCS).',
    sources: [sources.getStarted, sources.dotnetSample],
    mock: "The OCS document does not say where a hybrid client's secret comes from; the mock creates the client without one and the Details pane adds it (the token endpoint needs one).",
    divergence: true,
  },

  // Sample app
  {
    id: 'sample-sign-in-flow',
    area: 'Sample app',
    rule: "The sample app shows the steps of the user's own last sign-in (request, form_post with c_hash recomputed, code exchange, UserInfo), its refreshes and its sign-out, each with its checks and rules; codes, tokens, secrets and the PKCE verifier appear as fingerprints only. On by default against a local identity server; SHOW_SIGN_IN_FLOW switches it.",
    dataHub:
      "The hybrid flow as AVEVA's hybrid sample runs it (code id_token, form_post, PKCE, nonce, state), and OpenID Connect Core 3.3.2.11 for c_hash.",
    sources: [sources.dotnetSample, sources.oidcCore, sources.pkce],
  },
  {
    id: 'sample-revokes-at-sign-out',
    area: 'Sample app',
    rule: 'The sample app revokes its refresh token at sign-out, before the end-session redirect; a failed revocation does not block sign-out.',
    dataHub: "AVEVA's samples revoke the refresh token when the user signs out.",
    sources: [sources.dotnetSample, sources.revocation],
  },
  {
    id: 'sample-invalid-client-page',
    area: 'Sample app',
    rule: 'A refused client secret shows "this app\'s credentials were not accepted", whether the server answers 400 (IdentityServer) or 401 with a challenge (RFC 6749).',
    dataHub: 'Data Hub answers 400 invalid_client; other servers may answer 401 with WWW-Authenticate.',
    sources: [sources.is4Errors, sources.oauth],
  },
  {
    id: 'sample-refresh-across-instances',
    area: 'Sample app',
    rule: 'With sessions in Redis, a session refreshes once at a time across instances: one refreshes under a lock, the others take the tokens it stored; no one is signed out.',
    dataHub: 'Refresh tokens are one-time use: a second use of the same one fails with invalid_grant.',
    sources: [sources.is4Client, sources.dotnetSample],
  },
  {
    id: 'sample-return-to-local',
    area: 'Sample app',
    rule: 'After sign-in the app sends the user only to a path of its own: the path it returns is checked after normalisation (no "//host" from dot segments or encoded dots).',
    dataHub:
      'Nothing at the identity server prevents an open redirect in the application: the application must.',
    sources: [sources.bcp],
  },
  {
    id: 'sample-sign-in-cookies-bounded',
    area: 'Sample app',
    rule: 'At most four sign-ins are in progress per browser (four cookie slots, the oldest replaced), so repeated or cross-site sign-in starts cannot make the callback too large to read.',
    dataHub:
      "Unfinished sign-ins (closed tabs, cancelled logins) are common; the identity server never cleans up the application's cookies.",
    sources: [sources.bcp],
  },
  {
    id: 'sample-callback-once',
    area: 'Sample app',
    rule: 'The same form_post delivered twice redeems the code once; the second delivery only redirects.',
    dataHub:
      'A second redemption fails with invalid_grant; a standards server may also revoke what the first issued (RFC 6749 4.1.2).',
    sources: [sources.oauth, sources.is4Token],
  },
  {
    id: 'sign-in-stateless',
    area: 'Hardening of the mock',
    rule: 'Nothing is stored or written for a caller who has not signed in: the sign-in in progress travels in a sealed ticket bound to one browser cookie.',
    dataHub:
      "IdentityServer keeps the authorization request in the login page's returnUrl, not on the server.",
    sources: [sources.is4LoginPage, sources.bcp],
  },
  {
    id: 'password-guessing',
    area: 'Hardening of the mock',
    rule: 'Five wrong passwords lock an email for five minutes (known or not, so nothing is enumerated); password checks waiting beyond a bound get 429 at once.',
    dataHub: 'The Data Hub sign-in is built on ASP.NET Core Identity, whose default lockout this is.',
    sources: [sources.aspnetLockout, sources.bcp],
    mock: "The same lockout, in memory; the waiting bound (128 checks of a few ms) is the mock's own, so a flood cannot delay a right password for seconds.",
  },
  {
    id: 'client-id-never-reused',
    area: 'Hardening of the mock',
    rule: "Client ids compare as GUIDs; a deleted client's id is never handed to another tenant, its grants end with it, and a refresh checks the grant's tenant and age against the client.",
    dataHub:
      '"Clients have unique ids in a tenant"; deleted clients\' refresh tokens end an hour after deletion.',
    sources: [sources.hybridClients],
  },
  {
    id: 'client-links-web-only',
    area: 'Hardening of the mock',
    rule: 'ClientUri and LogoUri are http(s) URLs only (never javascript: or data:).',
    dataHub: 'Shown on consent screens as links and images.',
    sources: [sources.hybridClients],
  },
  {
    id: 'sessions-kept-apart',
    area: 'Hardening of the mock',
    rule: "A sign-on session and a portal session are separate records: one cookie's value is no use as the other.",
    dataHub: 'The portal and the identity server keep their own sessions.',
    sources: [sources.bcp],
  },
  {
    id: 'native-loopback-form-post',
    area: 'Native app',
    rule: 'A native app receives the sign-in on the loopback IP literal (127.0.0.1, not localhost) by form_post, redeems the code with its secret and PKCE, and shows the browser no token.',
    dataHub:
      "AVEVA's hybrid sample is a console app listening on https://127.0.0.1:54567/signin-oidc for the form_post; a fragment answer never reaches an app's server side.",
    mock: 'The mock allows plain http on loopback addresses (RFC 8252 §8.3); the native app listens on http://127.0.0.1:54567.',
    sources: [sources.dotnetSample, sources.nativeApps],
  },
  {
    id: 'native-fixed-port',
    area: 'Native app',
    rule: 'A native app listens on the one port its redirect URI registers, and says so when another program holds it.',
    dataHub:
      "Redirect URIs match exactly, port included; AVEVA's sample notes that random loopback ports need an identity server that allows them, and sets a static one.",
    sources: [sources.dotnetSample, sources.hybridClients],
  },
  {
    id: 'test-controls-own-callers',
    area: 'Hardening of the mock',
    rule: 'The test controls take JSON only, from their own origin and Host, so no web page can move the clock or rotate keys.',
    dataHub: "No such surface exists at Data Hub: it is the mock's, off unless asked for.",
    sources: [sources.bcp],
  },
  {
    id: 'state-never-refuses-to-start',
    area: 'Hardening of the mock',
    rule: 'The state is written and read row by row; a snapshot that cannot be written never stops the mock from starting, and acknowledged changes are kept.',
    dataHub: "The mock's own storage: Data Hub's is not observable.",
    sources: [sources.bcp],
  },
  ...scenarioRules,
];
