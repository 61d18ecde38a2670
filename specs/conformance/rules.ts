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

/**
 * What a rule rests on, read from its first source: what AVEVA writes, what an AVEVA sample does, what
 * IdentityServer4 (or ASP.NET Core Identity) does by default, or, with no such source, the kit's own choice,
 * which then says why (`reason`).
 */
export type Basis =
  | 'AVEVA documents it'
  | 'an AVEVA sample shows it'
  | 'an IdentityServer4 default (not confirmed for Data Hub)'
  | "the kit's choice";

export const bases: readonly Basis[] = [
  'AVEVA documents it',
  'an AVEVA sample shows it',
  'an IdentityServer4 default (not confirmed for Data Hub)',
  "the kit's choice",
];

const basisOfSource: Record<SourceKind, Basis> = {
  'AVEVA documentation': 'AVEVA documents it',
  'AVEVA sample': 'an AVEVA sample shows it',
  'IdentityServer4 default, not confirmed for Data Hub':
    'an IdentityServer4 default (not confirmed for Data Hub)',
  'ASP.NET Core Identity default, not confirmed for Data Hub':
    'an IdentityServer4 default (not confirmed for Data Hub)',
  standard: "the kit's choice",
  'OpenID Foundation RP test': "the kit's choice",
};

export const basisOf = (rule: Rule): Basis =>
  isKitRule(rule) ? "the kit's choice" : basisOfSource[rule.sources[0].kind];

/** A link to a repository itself, or to a branch of it, rather than to a page or file in it. */
export function isRepositoryRoot(url: string): boolean {
  const { hostname, pathname } = new URL(url);
  if (hostname !== 'github.com') return false;
  const parts = pathname.split('/').filter(Boolean);
  return parts.length <= 2 || (parts.length <= 4 && ['tree', 'blob'].includes(parts[2] ?? ''));
}

/** A source as a Markdown link to its page, with its kind. */
export const sourceLabel = (source: Source): string => `[${source.title}](${source.url}) (${source.kind})`;

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
/** A file of IdentityServer4 4.x as read at one commit, for the sources whose details were checked there. */
const identityServerAt = (title: string, path: string, commit: string): Source => ({
  kind: 'IdentityServer4 default, not confirmed for Data Hub',
  title,
  url: `https://github.com/IdentityServer/IdentityServer4/blob/${commit}/src/IdentityServer4/src/${path}`,
});
const standard = (title: string, url: string): Source => ({ kind: 'standard', title, url });
const avevaSample = (title: string, url: string): Source => ({ kind: 'AVEVA sample', title, url });
const dotnetSampleFile = 'https://github.com/AVEVA/sample-adh-authentication_hybrid-dotnet/blob/main';

export const sources = {
  getStarted: aveva(
    '"Get started with hybrid clients" (page uid gsHybridClients; its Data Hub and OCS editions are the seeds of the kit)',
    'overview/get-started/clients/gs-hybrid-clients.md',
  ),
  hybridClients: aveva('HybridClients API reference', 'api-reference/identity/identity-hybrid-clients.md'),
  secrets: aveva('Secrets API reference', 'api-reference/identity/identity-secrets.md'),
  namespaces: aveva('Namespaces API reference', 'api-reference/tenant/tenant-namespaces.md'),
  dotnetSample: avevaSample(
    'AVEVA hybrid sample (.NET), README: a console app redirected to https://127.0.0.1:54567/signin-oidc, a client that allows refresh tokens',
    `${dotnetSampleFile}/README.md`,
  ),
  dotnetSampleSignIn: avevaSample(
    "AVEVA hybrid sample's sign-in, HybridFlow/Hybrid.cs (IdentityModel.OidcClient: hybrid flow, form_post, PKCE S256 always, acr_values=tenant:{id}, issuer-name validation off, sign-out by LogoutAsync)",
    `${dotnetSampleFile}/HybridFlow/Hybrid.cs`,
  ),
  dotnetSampleProgram: avevaSample(
    'AVEVA hybrid sample, HybridFlow/Program.cs (a refresh "will also reissue a new refresh token. Old refresh token will no longer be valid after use.")',
    `${dotnetSampleFile}/HybridFlow/Program.cs`,
  ),
  dotnetSampleTest: avevaSample(
    "AVEVA hybrid sample's browser test, HybridFlowTest/OpenTestBrowser.cs (picks Personal Account, then fills Microsoft's sign-in page)",
    `${dotnetSampleFile}/HybridFlowTest/OpenTestBrowser.cs`,
  ),
  grafanaSample: avevaSample(
    'AVEVA Grafana data source sample, README: Data Hub as an OAuth provider (authorization-code client, refresh "for up to 8 hours", role_type read by Grafana from the id_token or UserInfo)',
    'https://github.com/AVEVA/sample-adh-grafana_backend_plugin-datasource/blob/main/README.md',
  ),
  is4Authorize: identityServerAt(
    'AuthorizeRequestValidator, 4.x (its order: client, redirect_uri, response_type, PKCE, response_mode, grant type, AllowAccessTokensViaBrowser, scope, nonce, lengths; its error codes)',
    'Validation/Default/AuthorizeRequestValidator.cs',
    '3f489b7d0b93fad67e4a87cfabf82d9cc0d415d7',
  ),
  is4AuthorizeResult: identityServerAt(
    'AuthorizeResult.ProcessErrorAsync, 4.x (access_denied, account_selection_required, login_required, consent_required and interaction_required go back to the client; every other error to the error page)',
    'Endpoints/Results/AuthorizeResult.cs',
    '311fe97128089236597c1b43f217592937a3d5a8',
  ),
  is4InputLengths: identityServer(
    'InputLengthRestrictions defaults (client_id 100, redirect_uri 400, scope 300, nonce 300, ui_locales 100, login_hint 100, acr_values 300, code_challenge 43..128); read in copies of the file and where AuthorizeRequestValidator uses them',
    'Configuration/DependencyInjection/Options/InputLengthRestrictions.cs',
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
  is4AuthorizeResponse: identityServer(
    'AuthorizeResponseGenerator (hybrid response: code, id_token with c_hash and s_hash, state)',
    'ResponseHandling/Default/AuthorizeResponseGenerator.cs',
  ),
  is4Discovery: identityServer(
    'DiscoveryResponseGenerator (the entries of the discovery document with the default options)',
    'ResponseHandling/Default/DiscoveryResponseGenerator.cs',
  ),
  is4DiscoveryResult: identityServer(
    'DiscoveryDocumentResult (Cache-Control only with a ResponseCacheInterval, unset by default)',
    'Endpoints/Results/DiscoveryDocumentResult.cs',
  ),
  is4BearerUsage: identityServer(
    'BearerTokenUsageValidator (the access token of a UserInfo request: header, then form body)',
    'Validation/Default/BearerTokenUsageValidator.cs',
  ),
  is4TokenEndpoint: identityServer(
    'TokenEndpoint (anything but a form POST: invalid_request) and TokenErrorResult (HTTP 400, error_description only when set)',
    'Endpoints/TokenEndpoint.cs',
  ),
  is4RevocationEndpoint: identityServer(
    'TokenRevocationEndpoint (another method: 405, a body that is not a form: 415, both without a body)',
    'Endpoints/TokenRevocationEndpoint.cs',
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

interface RuleCommon {
  id: string;
  area: Area;
  /** What the kit proves, in one sentence. */
  rule: string;
  /** What the mock does, when it is not simply the same as `dataHub`. */
  mock?: string;
  /** A known divergence: the mock cannot (or does not) behave like the real service here. */
  divergence?: true;
}

/** What the Data Hub identity server or API does, as far as an application can tell: settled by its sources. */
export interface DataHubRule extends RuleCommon {
  dataHub: string;
  sources: [Source, ...Source[]];
  reason?: undefined;
}

/**
 * The kit's own rule (the sample app, the native app, the hardening of the mock, the test scenarios, or a choice
 * no AVEVA or IdentityServer source settles): why the kit does it, and, where there are any, what Data Hub does
 * and the sources it builds on. No source stands in for a reason.
 */
export interface KitRule extends RuleCommon {
  reason: string;
  dataHub?: string;
  sources?: Source[];
}

export type Rule = DataHubRule | KitRule;

export const isKitRule = (rule: Rule): rule is KitRule => rule.reason !== undefined;

/** The areas whose every rule is the kit's own. */
export const kitAreas: readonly Area[] = [
  'Sample app',
  'Native app',
  'Hardening of the mock',
  'Test scenarios',
];

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
  reason:
    'A test scenario: the mock misbehaves only when a test asks it to, so that an application can be proved against it.',
}));

export const rules: Rule[] = [
  // Client registration
  {
    id: 'redirect-uri-limits',
    area: 'Client registration',
    rule: 'A hybrid client has 1 to 10 redirect URLs and 0 to 10 logout redirect URLs.',
    dataHub: 'Maximum 10 redirect URIs and 10 logout redirect URIs per client.',
    sources: [sources.hybridClients],
    mock: "Also refuses relative URLs, fragments, credentials in a URL, and the javascript:, data:, vbscript:, blob: and file: schemes: the kit's choice, not in AVEVA's page (RFC 6749 3.1.2: a redirection endpoint is an absolute URI without a fragment). Other schemes are taken (client-api-validation).",
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
    rule: 'An unregistered redirect URL gets an error page at the identity server, which names the bad_client error of the documents and IdentityServer\'s invalid_request "Invalid redirect_uri", and is never redirected to.',
    dataHub:
      'AVEVA\'s reference page: the authentication "will fail with a bad_client error". IdentityServer4 4.x refuses it with invalid_request, "Invalid redirect_uri", on its error page and never redirects to it. The two sources name the error differently; what the Data Hub error page shows is not documented.',
    sources: [sources.hybridClients, sources.is4Authorize, sources.is4AuthorizeResult],
    mock: 'The error page shows invalid_request, and the description starts "Invalid redirect_uri: bad_client: …".',
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
    rule: 'A hybrid client uses a hybrid response type: code id_token (or, with AllowAccessTokensViaBrowser, code token and code id_token token), answered by fragment or form_post; anything else is refused on the error page.',
    dataHub:
      'IdentityServer4 4.x: a missing or unknown response_type is unsupported_response_type; a response type of another flow, unauthorized_client ("Invalid grant type for client"); response_mode=query with the hybrid flow, invalid_request ("Invalid response_mode for response_type"); an unknown response_mode, unsupported_response_type. All on its error page, none sent to the client.',
    sources: [sources.is4Authorize, sources.is4AuthorizeResult, sources.dotnetSampleSignIn],
  },
  {
    id: 'authorization-error-page',
    area: 'Sign-in request',
    rule: "A refused sign-in request is shown on the identity server's error page and nothing goes to the client; only the errors of the interaction with the user (login_required, access_denied, consent_required, interaction_required, account_selection_required) go back to the redirect URL.",
    dataHub:
      "IdentityServer4 4.x's AuthorizeResult sends only these interaction errors to the client and shows every other one on its error page (ErrorUrl, with an errorId). Not confirmed for Data Hub, whose error page is not documented.",
    sources: [sources.is4AuthorizeResult, sources.is4Authorize],
    mock: 'The error page is served at the authorization endpoint itself (HTTP 400), not after a redirect to an error URL; the browser stops at the identity server either way. It shows the error code and what to change.',
  },
  {
    id: 'consent',
    area: 'Sign-in request',
    rule: "prompt=consent shows a consent page naming the client, with its ClientUri and LogoUri and the scopes asked for; Allow completes the sign-in, Deny answers access_denied. When consent is required, it is asked on a client's first sign-in and on every one with offline_access, and prompt=none then answers consent_required.",
    dataHub:
      'The HybridClients reference says ClientUri and LogoUri are "used on consent screen", so Data Hub has one; when it shows it is not documented. IdentityServer4 4.x shows it for prompt=consent always, and otherwise only for a client with RequireConsent (off by default), then every time offline_access is asked for (DefaultConsentService).',
    sources: [
      sources.hybridClients,
      identityServer(
        'AuthorizeInteractionResponseGenerator.ProcessConsentAsync (prompt=consent, consent_required)',
        'ResponseHandling/Default/AuthorizeInteractionResponseGenerator.cs',
      ),
      identityServer(
        'DefaultConsentService.RequiresConsentAsync (RequireConsent, offline_access)',
        'Services/Default/DefaultConsentService.cs',
      ),
    ],
    mock: 'Consent not required by default, as IdentityServer4; MOCK_IDP_REQUIRE_CONSENT=true asks it. A consent is remembered for the sign-on session, where IdentityServer keeps it in its store across sessions.',
  },
  {
    id: 'input-length-limits',
    area: 'Sign-in request',
    rule: 'Sign-in request parameters longer than IdentityServer4 allows are refused on the error page: client_id over 100 characters, redirect_uri over 400, scope 300, nonce 300, ui_locales 100, login_hint 100, acr_values 300.',
    dataHub:
      'IdentityServer4\'s InputLengthRestrictions defaults, applied by its AuthorizeRequestValidator (invalid_request, "Invalid nonce" and so on). Not confirmed for Data Hub.',
    sources: [sources.is4InputLengths, sources.is4Authorize],
    mock: "The same; also state over 2000 characters, the kit's bound (IdentityServer sets none): the sign-in request travels to the login page inside a URL.",
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
    id: 'discovery-contents',
    area: 'Sign-in request',
    rule: 'Discovery lists what IdentityServer4 4.x lists with its default options (every response type, form_post, query and fragment, PKCE plain and S256, request objects, front- and back-channel logout) and sets no Cache-Control; it leaves out request_uri, claims and prompt values, as IdentityServer4 does.',
    dataHub:
      "IdentityServer4's DiscoveryResponseGenerator describes the server, not a client: a hybrid client asking for code, query or plain PKCE is refused all the same. It also lists check_session_iframe, introspection_endpoint and device_authorization_endpoint. Not confirmed for Data Hub, whose discovery document is not published.",
    sources: [sources.is4Discovery, sources.is4DiscoveryResult],
    mock: 'No check_session_iframe (session_state is sent, but browsers now block the third-party cookie the iframe reads), no introspection endpoint (hybrid clients cannot call it) and no device authorization endpoint: an application that uses them cannot be proved against the mock. A request object is refused as IdentityServer refuses one it cannot check (invalid_request_object): a hybrid client has no key to sign it.',
    divergence: true,
  },
  {
    id: 'access-tokens-via-browser',
    area: 'Sign-in request',
    rule: 'AllowAccessTokensViaBrowser decides whether code token and code id_token token may put an access token in the browser; when it is off they are refused on the error page.',
    dataHub:
      'A documented property of a hybrid client. When it is off, IdentityServer4 4.x refuses with invalid_request, "Client not configured to receive access tokens via browser", on its error page (Duende IdentityServer later answers unauthorized_client).',
    sources: [sources.hybridClients, sources.is4Authorize, sources.is4AuthorizeResult],
  },
  {
    id: 'nonce-required',
    area: 'Sign-in request',
    rule: 'The nonce is required (at most 300 characters), and returned in the id_token; a request without one is refused on the error page.',
    dataHub:
      'IdentityServer4 4.x: invalid_request, "Invalid nonce", for the hybrid flow with openid, on its error page.',
    sources: [sources.is4Authorize, sources.oidcCore, sources.dotnetSampleSignIn],
  },
  {
    id: 'pkce',
    area: 'Sign-in request',
    rule: 'PKCE S256 is required: a sign-in request without code_challenge is refused on the error page (invalid_request, "code challenge required"), as are plain and a challenge outside 43..128 characters, and the token endpoint refuses a missing verifier, one shorter than 43 or longer than 128 characters, or one that does not match (invalid_grant).',
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
    rule: "acr_values=tenant:{id} must name the client's tenant: another tenant is refused on the error page. Tokens carry tid.",
    dataHub:
      "AVEVA's hybrid sample sends acr_values=tenant:{tenantId} with every sign-in. What Data Hub answers for another tenant is not documented, nor is a tid claim.",
    sources: [sources.dotnetSampleSignIn],
    mock: "The refusal (invalid_request, on the error page like IdentityServer's other request errors) and the tid claim are the kit's choice: tid names the tenant as Azure AD names it, so that a test can see which tenant a token is for. An application should not depend on tid.",
  },

  // Sign-in response
  {
    id: 'state-echoed',
    area: 'Sign-in response',
    rule: 'The state of a sign-in request is echoed to the redirect URL.',
    dataHub: 'state is returned unchanged.',
    sources: [sources.is4AuthorizeResponse, sources.oidcCore],
  },
  {
    id: 'c-hash',
    area: 'Sign-in response',
    rule: 'The front-channel id_token carries c_hash, binding it to the code.',
    dataHub: 'c_hash in the hybrid flow id_token (and at_hash when an access token comes along).',
    sources: [sources.is4AuthorizeResponse, sources.oidcCore],
  },
  {
    id: 's-hash',
    area: 'Sign-in response',
    rule: "When the sign-in request had a state, both id_tokens of the sign-in (the front channel's and the token endpoint's) carry s_hash, the left half of the SHA-256 of the state; without state, neither does.",
    dataHub:
      'IdentityServer4 computes the state hash for the front-channel id_token and keeps it with the code for the id_token of the code exchange; not confirmed for Data Hub. An app need not check it (OpenID Connect Core leaves s_hash to the Financial-grade profile), but must accept it.',
    sources: [sources.is4AuthorizeResponse],
  },
  {
    id: 'authorization-response-iss',
    area: 'Sign-in response',
    rule: 'Authorization responses carry no iss parameter, and discovery does not announce one, unless the mock is set to (RFC 9207); an application must not require it, and must check it when present.',
    dataHub:
      'IdentityServer4 4.x predates RFC 9207: its AuthorizeResponse has no iss and its discovery no authorization_response_iss_parameter_supported. Nothing AVEVA publishes says Data Hub adds it.',
    sources: [
      sources.is4AuthorizeResponse,
      sources.is4Discovery,
      standard(
        'RFC 9207, authorization server issuer identification',
        'https://www.rfc-editor.org/rfc/rfc9207',
      ),
    ],
    mock: 'None by default; MOCK_IDP_AUTHORIZATION_RESPONSE_ISS=true sends iss with every authorization response and announces it, for an application that wants to prove its mix-up defence. The response-iss-mismatch scenario adds a wrong one either way.',
  },
  {
    id: 'session-state',
    area: 'Sign-in response',
    rule: 'A successful authorization response carries session_state (OpenID Connect Session Management): a hash of the client, the redirect origin, the browser session and a salt, then the salt.',
    dataHub:
      'IdentityServer4 adds session_state whenever its check-session endpoint is on, which it is by default (AuthorizeResponseGenerator); not confirmed for Data Hub.',
    sources: [
      sources.is4AuthorizeResponse,
      standard(
        'OpenID Connect Session Management 1.0',
        'https://openid.net/specs/openid-connect-session-1_0.html',
      ),
    ],
    mock: 'The same value; but no check-session iframe to compare it with (discovery-contents).',
  },
  {
    id: 'issuer-apart-from-authority',
    area: 'Sign-in response',
    rule: 'The issuer may differ from the authority URL; a relying party pins it by configuration, never by turning checks off.',
    dataHub:
      "AVEVA's hybrid sample reads discovery at {Resource}/identity with issuer-name validation off, so it accepts whatever issuer discovery names: no AVEVA source pins an issuer value. IdentityServer's IssuerUri option lets the issuer differ from the URL it is reached at.",
    sources: [sources.dotnetSampleSignIn, sources.is4Options],
    mock: "The authority URL by default; MOCK_IDP_ISSUER_URI announces another (as IdentityServer's IssuerUri). Pinning instead of switching the check off is the kit's advice.",
  },
  {
    id: 'form-post-cross-site',
    area: 'Sign-in response',
    rule: 'The form_post callback works when the identity server and the application are different sites.',
    dataHub: 'The identity server and the application are always different sites in production.',
    sources: [sources.dotnetSample, sources.oidcCore],
  },
  {
    id: 'authorization-response-framing',
    area: 'Sign-in response',
    rule: "The authorization response (the form_post page) can be framed, so an app can sign in again with prompt=none in a hidden iframe (silent renew); the login, error, portal and signed-out pages refuse framing. The sign-on session's cookie is SameSite=None (Secure), so a frame can carry it where the browser allows third-party cookies.",
    dataHub:
      "IdentityServer4's AuthorizeResult gives the form_post page a script Content-Security-Policy and Referrer-Policy, and no X-Frame-Options; its session cookie is SameSite=None. Not confirmed for Data Hub. Browsers that block third-party cookies (Safari, Firefox, Chrome in some modes) keep a cross-site identity server's session out of the frame, so silent renew then answers login_required.",
    sources: [
      sources.is4AuthorizeResult,
      avevaSample(
        "AVEVA's SDS Angular sample, readme (oidc-client with a silent_redirect_uri: silent renew in a hidden iframe; an implicit client)",
        'https://github.com/AVEVA/AVEVA-Samples/blob/main/ocs_samples/basic_samples/SDS/JavaScript/Angular/readme.md',
      ),
    ],
    mock: 'The same; on plain http the session cookie is Secure only on loopback addresses, where browsers accept it, and stays Lax elsewhere.',
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
    rule: "Tenant roles reach applications as role_type claims holding role ids, in the id_token and UserInfo; the mock's access tokens carry them too.",
    dataHub:
      "AVEVA's Grafana sample maps role_type ids (Tenant Administrator 2dc742ab-…, and so on) to Grafana roles with role_attribute_path, which Grafana reads from the id_token or the UserInfo answer. Whether Data Hub's access tokens carry role_type is not documented.",
    sources: [sources.grafanaSample],
    mock: "role_type in access tokens is the kit's choice (the mock's own API reads the roles there); an application should read roles from the id_token or UserInfo.",
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
    rule: 'Refresh tokens are issued only to a client with Allow Refresh Token that asked for offline_access; another client asking for it is refused on the error page (invalid_scope).',
    dataHub:
      'The "Get started" page has the Allow Refresh Token step (AllowOfflineAccess, "by providing the offline_access scope"), and AVEVA\'s hybrid sample asks for offline_access and uses the refresh token. The HybridClients reference page documents AllowOfflineAccess too, yet says "Currently the refresh token is not supported for the hybrid clients": the sources contradict each other. The kit follows the "Get started" page and the sample. IdentityServer4 refuses a scope the client may not have with invalid_scope, on its error page.',
    sources: [sources.getStarted, sources.hybridClients, sources.dotnetSampleSignIn, sources.is4Authorize],
    mock: 'Refresh tokens as the "Get started" page says, by default. MOCK_IDP_HYBRID_REFRESH_TOKENS=false follows the reference page instead: offline_access is accepted and no refresh token is issued, so an application can prove it signs the user in again at expiry.',
  },
  {
    id: 'refresh-rotation',
    area: 'Refresh tokens',
    rule: 'A refresh token is used once: each refresh returns a new one.',
    dataHub:
      'AVEVA\'s hybrid sample: a refresh "will also reissue a new refresh token. Old refresh token will no longer be valid after use" (IdentityServer4\'s RefreshTokenUsage OneTimeOnly, its default). The HybridClients reference page\'s note that refresh tokens are "not supported" for hybrid clients contradicts it (see refresh-only-when-allowed).',
    sources: [sources.dotnetSampleProgram, sources.is4Client, sources.hybridClients],
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
      'Not documented for hybrid clients. AVEVA\'s Grafana sample says an authorization-code client with AllowOfflineAccess is refreshed "for up to 8 hours"; IdentityServer4\'s default absolute lifetime is 30 days (Client.AbsoluteRefreshTokenLifetime). The two disagree, and neither is about hybrid clients.',
    sources: [sources.grafanaSample, sources.is4Client],
    mock: '30 days by default, as IdentityServer4; MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS=28800 gives the 8 hours of the Grafana sample. An application should sign the user in again whenever a refresh fails.',
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
    id: 'token-endpoint-errors',
    area: 'Code exchange and tokens',
    rule: 'Token endpoint errors carry the code alone, as IdentityServer4 answers them: no grant_type is unsupported_grant_type, a code exchange without redirect_uri is unauthorized_client, without a code invalid_grant, and a GET or a body that is not a form is invalid_request.',
    dataHub:
      "IdentityServer4's TokenEndpoint and TokenRequestValidator set no error_description for these, so its TokenErrorResult leaves it out; not confirmed for Data Hub. An application must not need a description to handle a token error.",
    sources: [sources.is4TokenEndpoint, sources.is4Token, sources.is4Errors],
    mock: 'The same bodies; the request log (GET /__mock__/requests) keeps the reason in errorDescription.',
  },
  {
    id: 'revocation-errors',
    area: 'Code exchange and tokens',
    rule: 'The revocation endpoint answers another method with 405 and a body that is not a form with 415, both empty, and an unknown token_type_hint with 400 unsupported_token_type.',
    dataHub:
      "IdentityServer4's TokenRevocationEndpoint (405, 415, read). Its TokenRevocationRequestValidator refuses an unknown hint with unsupported_token_type (RFC 7009 says to ignore one); that file is not in the sources the kit could read, and the code is recorded as the issue reports it. Not confirmed for Data Hub.",
    sources: [sources.is4RevocationEndpoint, sources.is4Revocation, sources.revocation],
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
    rule: 'Deleting a client: its access tokens live until they expire; its sign-ins and refreshes stop once the deletion reaches the identity server, which Data Hub bounds by an hour.',
    dataHub:
      '"Refresh tokens issued to this will be valid up to one hour after deletion": an upper bound, so an application must expect them to stop at any moment within the hour (and the deletion itself "can take up to one hour").',
    sources: [sources.hybridClients, sources.getStarted],
    mock: 'At once by default, the strict end of the bound; MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS delays the deletion like any other change (3600 for the other end).',
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
    id: 'logout-other-user',
    area: 'Sign-out',
    rule: 'An id_token_hint of another user than the one signed in sends nobody back to the app, and the user signed in stays signed in until they choose to sign out.',
    dataHub:
      'IdentityServer4\'s EndSessionRequestValidator refuses it ("Current user does not match identity token"), and its EndSessionResult then takes the browser to the logout page with no request to honour, where IdentityServer\'s own logout UI asks the user before signing out. Not confirmed for Data Hub, whose logout page is not documented.',
    sources: [
      sources.is4EndSession,
      identityServer(
        'EndSessionResult (the logout page, with or without a validated request)',
        'Endpoints/Results/EndSessionResult.cs',
      ),
    ],
    mock: "A page asks the user signed in (named) whether to sign out. Without a hint the mock signs out at once, where IdentityServer's logout UI would ask too.",
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
    id: 'tenant-ids-hidden',
    area: 'HybridClients API',
    rule: "A token holder learns nothing of other tenants: a tenant id that is not the token's is answered with the same 403 whether that tenant exists or not.",
    dataHub:
      'The reference pages list 403 (Forbidden) and 404 (tenant not found) without saying which comes first.',
    sources: [sources.hybridClients],
    reason:
      "The mock's own hardening: an existence oracle for tenant ids helps no application, and the order the pages leave open is the safe one.",
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
    id: 'client-api-validation',
    area: 'HybridClients API',
    rule: "A client is created without a Name (the portal still asks for one), with a caller-chosen Id (a GUID), and with redirect URLs of any scheme but the scripting ones (a native app's own, RFC 8252); a PUT whose body names another Id than the path is a 400.",
    dataHub:
      'The reference page marks every HybridClientCreate property Required false, Name included, and says the Id "should be a GUID"; it restricts no URL scheme. For PUT it documents 400 for "missing or invalid inputs" and "properties that are not set or are null will not be changed": an Id cannot change, so another one is an invalid input. The "Get started" page has the user enter a name.',
    sources: [sources.hybridClients, sources.getStarted, sources.nativeApps],
    mock: "The 400 for another Id in a PUT body is the kit's reading of the page: Data Hub may ignore it instead. RedirectUris stays required (at least one), which the reference page does not say.",
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
    dataHub:
      "Not documented. AVEVA's hybrid sample's browser test picks Personal Account on the Data Hub sign-in page, then fills Microsoft's own page (#i0116, #i0118, #idSIButton9): it proves that Data Hub hands the sign-in to the user's identity provider, and says nothing of ids on a Data Hub form.",
    sources: [sources.dotnetSampleTest],
    reason:
      "Stable ids let a test fill the mock's form; a test against a real tenant fills its identity provider's page instead (see external-sign-in).",
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
    reason:
      "A teaching page of the kit's (added by npm start, not part of the starter): seeing one's own sign-in step by step, with checks that can fail, is how the hybrid flow is learned.",
  },
  {
    id: 'sample-revokes-at-sign-out',
    area: 'Sample app',
    rule: 'The sample app revokes its refresh token at sign-out, before the end-session redirect; a failed revocation does not block sign-out.',
    dataHub:
      "AVEVA's hybrid sample signs out with OidcClient.LogoutAsync (the end-session redirect) and never revokes. The Data Hub identity server (IdentityServer4) has a revocation endpoint for refresh tokens.",
    sources: [sources.dotnetSampleSignIn, sources.revocation],
    reason:
      'Signing out at the identity server does not end a refresh token: one left valid outlives the sign-out, so the sample revokes it (RFC 7009).',
  },
  {
    id: 'sample-invalid-client-page',
    area: 'Sample app',
    rule: 'A refused client secret shows "this app\'s credentials were not accepted", whether the server answers 400 (IdentityServer) or 401 with a challenge (RFC 6749).',
    dataHub: 'Data Hub answers 400 invalid_client; other servers may answer 401 with WWW-Authenticate.',
    sources: [sources.is4Errors, sources.oauth],
    reason:
      "The starter's own error handling: a refused secret is the commonest setup mistake, and a page that names it saves a support call.",
  },
  {
    id: 'sample-refresh-across-instances',
    area: 'Sample app',
    rule: 'With sessions in Redis, a session refreshes once at a time across instances: one refreshes under a lock, the others take the tokens it stored; no one is signed out.',
    dataHub: 'Refresh tokens are one-time use: a second use of the same one fails with invalid_grant.',
    sources: [sources.is4Client, sources.dotnetSample],
    reason:
      "The starter's own session handling: several instances behind one address must not sign a user out by spending a rotated refresh token twice.",
  },
  {
    id: 'sign-out-wins',
    area: 'Sample app',
    rule: "A sign-out wins over a refresh in flight, and over one that finished while the sign-out was on its way (its copy of the session then holds an older refresh token): afterwards the session's cookie opens nothing, and the newest refresh token of the session is revoked, with sessions in memory or in Redis.",
    dataHub:
      'Refresh tokens rotate at every use (one-time use), so the token to revoke at sign-out is the newest one, which a refresh in flight may not have stored yet.',
    sources: [sources.dotnetSampleProgram, sources.revocation],
    reason:
      "The sample app's own session handling: no source prescribes it, and an app copied from it must not let a sign-out be undone.",
  },
  {
    id: 'sample-return-to-local',
    area: 'Sample app',
    rule: 'After sign-in the app sends the user only to a path of its own: the path it returns is checked after normalisation (no "//host" from dot segments or encoded dots).',
    dataHub:
      'Nothing at the identity server prevents an open redirect in the application: the application must.',
    sources: [sources.bcp],
    reason:
      "An open redirect after sign-in is the application's own flaw; the sample shows the check a copied app needs.",
  },
  {
    id: 'sample-settings',
    area: 'Sample app',
    rule: 'The sample app checks its settings at start and reports every problem at once, in plain words: REDIRECT_URI and POST_LOGOUT_REDIRECT_URI follow PORT unless set; a loopback REDIRECT_URI on another port than PORT is refused with the URL to use; a blank setting is refused; the demo client, secret, tenant and API address are accepted only with a local identity server. The native app refuses blank settings and the demo values likewise.',
    dataHub:
      "The identity server sends the sign-in only to a registered redirect URL, matched exactly, port included; the client id, its secret and the tenant come from the tenant's own portal.",
    sources: [sources.getStarted, sources.dotnetSample],
    reason:
      'A copied app moved to another port must not send codes and tokens to whatever still runs on the old one, nor start against a real tenant with the demo secret.',
  },
  {
    id: 'kit-start-ports',
    area: 'Sample app',
    rule: "npm start warns of a port browsers refuse to open, and registers a moved app's URLs at the demo client in place of those it registered for an earlier port, so moving ports never fills the client's ten URLs.",
    dataHub:
      "A hybrid client holds at most 10 redirect URLs and 10 logout URLs; browsers refuse the Fetch standard's bad ports (ERR_UNSAFE_PORT).",
    sources: [
      sources.hybridClients,
      standard('Fetch standard, bad port', 'https://fetch.spec.whatwg.org/#bad-port'),
    ],
    reason:
      "The kit's own start command: a newcomer who moves ports must not meet a limit, nor a server no browser can open.",
  },
  {
    id: 'sample-sign-in-cookies-bounded',
    area: 'Sample app',
    rule: 'At most four sign-ins are in progress per browser (four cookie slots, the oldest replaced), so repeated or cross-site sign-in starts cannot make the callback too large to read.',
    dataHub:
      "Unfinished sign-ins (closed tabs, cancelled logins) are common; the identity server never cleans up the application's cookies.",
    sources: [sources.bcp],
    reason:
      "Bounded state for callers the app does not know yet: the sample's own protection, nothing Data Hub prescribes.",
  },
  {
    id: 'sample-callback-once',
    area: 'Sample app',
    rule: 'The same form_post delivered twice redeems the code once; the second delivery only redirects.',
    dataHub:
      'A second redemption fails with invalid_grant; a standards server may also revoke what the first issued (RFC 6749 4.1.2).',
    sources: [sources.oauth, sources.is4Token],
    reason:
      'A browser may post the same form twice (back button, a double submit); redeeming once keeps the second post from ending the session with invalid_grant.',
  },
  {
    id: 'sign-in-stateless',
    area: 'Hardening of the mock',
    rule: 'Nothing is stored or written for a caller who has not signed in: the sign-in in progress travels in a sealed ticket bound to one browser cookie.',
    dataHub:
      "IdentityServer keeps the authorization request in the login page's returnUrl, not on the server.",
    sources: [sources.is4LoginPage, sources.bcp],
    reason:
      "Bounded state for callers who have not signed in: an anonymous caller must not be able to fill the mock's memory or disk.",
  },
  {
    id: 'password-guessing',
    area: 'Hardening of the mock',
    rule: 'Five wrong passwords lock an email for five minutes (known or not, so nothing is enumerated); password checks waiting beyond a bound get 429 at once.',
    dataHub:
      'Not observable: Data Hub users sign in at their identity provider, whose own protections apply. No source says what the Data Hub sign-in is built on.',
    sources: [sources.aspnetLockout, sources.bcp],
    reason:
      "The mock's login form must not be a password oracle; it uses ASP.NET Core Identity's default lockout (5 failures, 5 minutes) as a well-known model. The waiting bound (128 checks of a few ms) keeps a flood from delaying a right password for seconds.",
  },
  {
    id: 'client-id-never-reused',
    area: 'Hardening of the mock',
    rule: "Client ids compare as GUIDs; a deleted client's id is never handed to another tenant, its grants end with it, and a refresh checks the grant's tenant and age against the client.",
    dataHub:
      '"Clients have unique ids in a tenant"; deleted clients\' refresh tokens end an hour after deletion.',
    sources: [sources.hybridClients],
    reason:
      "A deleted client's id, given to a new client, would let the old client's refresh tokens reach it: the mock keeps ids apart for good.",
  },
  {
    id: 'client-links-web-only',
    area: 'Hardening of the mock',
    rule: 'ClientUri and LogoUri are http(s) URLs only (never javascript: or data:).',
    dataHub: 'Shown on consent screens as links and images.',
    sources: [sources.hybridClients],
    reason:
      'The portal shows these links to administrators: a javascript: or data: URL there would be a stored script.',
  },
  {
    id: 'sessions-kept-apart',
    area: 'Hardening of the mock',
    rule: "A sign-on session and a portal session are separate records: one cookie's value is no use as the other.",
    dataHub: 'The portal and the identity server keep their own sessions.',
    sources: [sources.bcp],
    reason: "The mock's own hardening: its portal and sign-in sessions must not stand in for each other.",
  },
  {
    id: 'native-loopback-form-post',
    area: 'Native app',
    rule: 'A native app receives the sign-in on the loopback IP literal (127.0.0.1, not localhost) by form_post, redeems the code with its secret and PKCE, and shows the browser no token.',
    dataHub:
      "AVEVA's hybrid sample is a console app listening on https://127.0.0.1:54567/signin-oidc for the form_post; a fragment answer never reaches an app's server side.",
    mock: 'The mock allows plain http on loopback addresses (RFC 8252 §8.3); the native app listens on http://127.0.0.1:54567.',
    sources: [sources.dotnetSample, sources.nativeApps],
    reason:
      "The native app is the kit's counterpart of AVEVA's .NET sample: it receives the form_post on the loopback address, as that sample does.",
  },
  {
    id: 'native-fixed-port',
    area: 'Native app',
    rule: 'A native app listens on the one port its redirect URI registers, and says so when another program holds it.',
    dataHub:
      "Redirect URIs match exactly, port included; AVEVA's sample notes that random loopback ports need an identity server that allows them, and sets a static one.",
    sources: [sources.dotnetSample, sources.hybridClients],
    reason:
      'The identity server matches redirect URIs exactly, so the native app listens on its one registered port and says so when the port is taken.',
  },
  {
    id: 'native-loopback-private',
    area: 'Native app',
    rule: "Only the user at the terminal can use a native app's sign-in: its start address is a one-time unguessable path, only Host 127.0.0.1:{port} is served, an answer with another state is refused and waited past, names are printed without control characters, and the kept token is written owner-only through an exclusive temporary file.",
    dataHub:
      "RFC 8252 8.3: the loopback interface is shared by every local program; the client must bind the answer to its own request. AVEVA's hybrid sample listens on a fixed 127.0.0.1 port too.",
    sources: [sources.nativeApps, sources.dotnetSample],
    reason:
      "The native app's own hardening: a loopback listener is reachable by any local process, so nothing it serves may hand the sign-in to one.",
  },
  {
    id: 'native-command-line',
    area: 'Native app',
    rule: '`npm run native-app -- <flags>` passes the flags to the app; `--help` lists them; an unknown flag is refused in one line (exit 2); MOCK_IDP_PORT gives the default issuer and API addresses, as it moves the kit mock.',
    dataHub: "Not Data Hub's: how the kit's native app is run.",
    sources: [sources.nativeApps],
    reason:
      'A flag lost on the way (a typo, or npm keeping it) must not sign a user out who asked to keep the sign-in.',
  },
  {
    id: 'test-controls-own-callers',
    area: 'Hardening of the mock',
    rule: 'The test controls take JSON only, from their own origin and Host, so no web page can move the clock or rotate keys.',
    dataHub: "No such surface exists at Data Hub: it is the mock's, off unless asked for.",
    reason:
      "The test controls are the mock's own surface; a web page in the same browser must not reach them.",
  },
  {
    id: 'state-never-refuses-to-start',
    area: 'Hardening of the mock',
    rule: 'The state is written and read row by row; a snapshot that cannot be written never stops the mock from starting, and acknowledged changes are kept.',
    dataHub: "The mock's own storage: Data Hub's is not observable.",
    reason:
      "The mock's own storage: a developer's state must survive crashes, and a broken snapshot must not stop the kit.",
  },
  {
    id: 'state-written-before-answer',
    area: 'Hardening of the mock',
    rule: 'Every change an answer made is written to the journal (handed to the kernel) before the answer leaves, so no crash of the mock, SIGKILL included, loses it; with --fsync (MOCK_IDP_FSYNC) it is also flushed to the disk, so a power loss does not either.',
    dataHub: "The mock's own storage: Data Hub's is not observable.",
    reason:
      'A test identity server must never lose what it confirmed when it is killed; a flush per change only adds safety against a power loss, at a disk round trip per change, so it is there for those who want it.',
  },
  {
    id: 'answers-while-starting',
    area: 'Hardening of the mock',
    rule: 'A request that reaches the mock while it loads its state and keys (it listens first, for its issuer names the port) is answered 503 with Retry-After: 1, never left without an answer.',
    dataHub: "The mock's own start: not observable on a Data Hub tenant, which is not started by its users.",
    reason:
      'A CI step that waits for the mock by polling its port must see a refusal it can retry, not a connection that hangs until the job times out.',
  },
  {
    id: 'data-folder-locked',
    area: 'Hardening of the mock',
    rule: 'One mock per data folder: a second mock, or a reset, on a folder a running mock uses refuses with one line naming its pid (exit 2); the lock of a process that is gone is taken over.',
    dataHub: "The mock's own storage: Data Hub's is not observable.",
    reason:
      'Two mocks on one folder each keep their own state and write over the other: a write one of them confirmed would be lost.',
  },
  ...scenarioRules,
];
