/**
 * The scenarios a test can set: each one a way the identity server misbehaves, fails or is forged, what it changes
 * in which response, what a correct relying party does about it, and where that expectation comes from. This table
 * is the only place a scenario is described: the mock applies its `effect`, the test controls list it, the rule
 * catalogue and docs/testing-your-app.md are written from it.
 */
import type { JWTPayload } from 'jose';

/** Where a scenario acts: the responses the mock makes that a relying party reads. */
export type ResponsePoint =
  /** The authorization response (form_post or fragment): code, front-channel id_token, state, iss, or an error. */
  | 'authorization'
  /** The token endpoint's answer to the authorization_code grant. */
  | 'token'
  /** The token endpoint's answer to the refresh_token grant. */
  | 'refresh'
  | 'userinfo'
  | 'discovery'
  | 'jwks';

/** What a correct relying party does when the scenario happens. */
export type Expectation =
  /** Completes the sign-in (or the refresh) as usual. */
  | 'accept'
  /** Refuses: no session, an error page; for a forged authorization response, the code is never redeemed. */
  | 'refuse'
  /** Either is correct (the standard allows both); never a crash. */
  | 'either'
  /** An outage: answers within its time limit without a stack trace, and the next normal sign-in works. */
  | 'recover';

/** How the forged id_token is signed. */
export type Signing =
  /** With the identity server's current key and kid: a valid signature over forged claims. */
  | 'server-key'
  /** With the server's key, but no kid in the header. */
  | 'server-key-without-kid'
  /** With a key published in the JWKS only from when the scenario was set (a key rotation). */
  | 'new-published-key'
  /** With a key the JWKS never publishes, named by its own kid. */
  | 'unpublished-key'
  /** With the server's key, then one bit of the signature flipped. */
  | 'broken-signature'
  /** HS256, keyed with the client's secret (which the scenario must be given: the mock keeps only its hash). */
  | 'hs256-client-secret'
  /** `alg: none`, no signature. */
  | 'unsigned';

/** Facts a forgery draws on, fixed when the response is made. */
export interface ForgeryFacts {
  /** The server's issuer, and a client id that is not this one. */
  issuer: string;
  otherClientId: string;
  /** A tenant id that is not the client's. */
  otherTenantId: string;
  /** A subject that is not the user's. */
  otherSubject: string;
  /** Now, in epoch seconds, on the mock's clock. */
  now: number;
}

export type Effect =
  /** The id_token of the response is minted as usual, then its claims changed and signed as `signing` says. */
  | {
      kind: 'forge-id-token';
      claims?: (claims: JWTPayload, facts: ForgeryFacts) => JWTPayload;
      signing?: Signing;
    }
  /** The authorization response's parameters changed (state, iss). */
  | { kind: 'change-parameters'; change: (params: Record<string, string>, facts: ForgeryFacts) => void }
  /** A JSON body changed (UserInfo, discovery). */
  | { kind: 'change-body'; change: (body: Record<string, unknown>, facts: ForgeryFacts) => void }
  /** An OAuth error instead of the response: by form_post to the app, or as the endpoint's JSON error. */
  | { kind: 'oauth-error'; error: string; description: string; status: number; bearerChallenge?: true }
  /** An HTTP failure instead of the response: a status and a body that is not what the endpoint promises. */
  | { kind: 'http-failure'; status: number; contentType: string; body: string }
  /** The usual response, after `seconds` (a scenario option, default 5). */
  | { kind: 'delay' };

export interface Reference {
  /** e.g. "OpenID Foundation RP test", "RFC 9207", "OpenID Connect Core 1.0", "IdentityServer4". */
  kind: 'OpenID Foundation RP test' | 'standard' | 'IdentityServer4 behaviour' | 'AVEVA sample';
  /** The module, section or file it comes from. */
  title: string;
  url: string;
}

export interface ScenarioDefinition {
  name: string;
  /** The responses it changes. */
  points: readonly ResponsePoint[];
  /** What it changes, in one sentence. */
  changes: string;
  expect: Expectation;
  /** What a correct relying party does, and why it matters. */
  why: string;
  references: readonly Reference[];
  effect: Effect;
}

/** The OpenID Foundation's RP test modules, as the TypeScript port of its suite lists them per test plan. */
const oidfRp = (module: string, planFile = 'hybrid.spec.ts'): Reference => ({
  kind: 'OpenID Foundation RP test',
  title: `${module} (OpenID Foundation conformance suite, RP tests)`,
  url: `https://github.com/balazsorban44/openid-conformance-suite/blob/main/tests/rp/${planFile}`,
});
const oidcCore = (section: string, anchor: string): Reference => ({
  kind: 'standard',
  title: `OpenID Connect Core 1.0, ${section}`,
  url: `https://openid.net/specs/openid-connect-core-1_0.html#${anchor}`,
});
const rfc = (title: string, number: number, section: string): Reference => ({
  kind: 'standard',
  title: `RFC ${number} ${title}, section ${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc${number}#section-${section}`,
});
const is4 = (title: string, path: string): Reference => ({
  kind: 'IdentityServer4 behaviour',
  title,
  url: `https://github.com/IdentityServer/IdentityServer4/blob/main/src/IdentityServer4/src/${path}`,
});

const idTokenValidation = oidcCore('3.1.3.7 ID Token Validation', 'IDTokenValidation');
const hybridIdToken = oidcCore('3.3.2.12 ID Token Validation (hybrid flow)', 'HybridIDTValidation');
const hybridTokenResponse = oidcCore('3.3.3.6 ID Token (from the token endpoint)', 'HybridIDToken2');
const refreshResponse = oidcCore('12.2 Successful Refresh Response', 'RefreshTokenResponse');
const userInfoResponse = oidcCore('5.3.2 Successful UserInfo Response', 'UserInfoResponse');
const authorizeErrors = is4(
  'AuthorizeResult: errors sent back to the client',
  'Endpoints/Results/AuthorizeResult.cs',
);

/** Sends back an error of the authorization endpoint that IdentityServer lets through to the client. */
const authorizationError = (error: string, description: string): ScenarioDefinition => ({
  name: error,
  points: ['authorization'],
  changes: `The authorization response is the error ${error} ("${description}") instead of a code and id_token.`,
  expect: 'refuse',
  why: 'Not a sign-in: show the user a readable page (no stack trace, no raw error), start no session, and let them try again.',
  references: [authorizeErrors, rfc('OAuth 2.0, error response', 6749, '4.1.2.1')],
  effect: { kind: 'oauth-error', error, description, status: 400 },
});

const without =
  (claim: string) =>
  (claims: JWTPayload): JWTPayload => {
    const { [claim]: _removed, ...rest } = claims;
    return rest;
  };

const invalidIssuer = (facts: ForgeryFacts) => `${facts.issuer}-not-this-one`;

export const scenarioCatalogue = [
  // The authorization response: the front-channel id_token and the form_post parameters.
  {
    name: 'invalid-iss',
    points: ['authorization'],
    changes: 'The front-channel id_token names another issuer (validly signed).',
    expect: 'refuse',
    why: 'An id_token from another issuer is not a sign-in here: refuse it before the code is redeemed.',
    references: [oidfRp('oidcc-client-test-invalid-iss'), hybridIdToken, idTokenValidation],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, iss: invalidIssuer(facts) }) },
  },
  {
    name: 'invalid-aud',
    points: ['authorization'],
    changes: 'The front-channel id_token is for another client (aud; validly signed).',
    expect: 'refuse',
    why: "A token for another client could be replayed from that client's sign-in: refuse it.",
    references: [oidfRp('oidcc-client-test-invalid-aud'), idTokenValidation],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, aud: facts.otherClientId }) },
  },
  {
    name: 'missing-sub',
    points: ['authorization'],
    changes: 'The front-channel id_token has no sub (validly signed).',
    expect: 'refuse',
    why: 'Without sub there is no user: refuse rather than sign in someone undefined.',
    references: [oidfRp('oidcc-client-test-missing-sub'), oidcCore('2 ID Token', 'IDToken')],
    effect: { kind: 'forge-id-token', claims: without('sub') },
  },
  {
    name: 'missing-iat',
    points: ['authorization'],
    changes: 'The front-channel id_token has no iat (validly signed).',
    expect: 'refuse',
    why: 'iat is required: a token without it cannot be judged for freshness.',
    references: [oidfRp('oidcc-client-test-missing-iat'), oidcCore('2 ID Token', 'IDToken')],
    effect: { kind: 'forge-id-token', claims: without('iat') },
  },
  {
    name: 'invalid-chash',
    points: ['authorization'],
    changes: "The front-channel id_token's c_hash is the hash of another code (validly signed).",
    expect: 'refuse',
    why: 'c_hash binds the code to the id_token: a code swapped in on the way must be refused before it is redeemed.',
    references: [oidfRp('oidcc-client-test-invalid-chash'), hybridIdToken],
    effect: {
      kind: 'forge-id-token',
      claims: (claims) => ({ ...claims, c_hash: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    },
  },
  {
    name: 'missing-chash',
    points: ['authorization'],
    changes: 'The front-channel id_token has no c_hash (validly signed).',
    expect: 'refuse',
    why: 'In the code id_token flow c_hash is required: without it the code is not bound to the id_token.',
    references: [oidfRp('oidcc-client-test-missing-chash'), hybridIdToken],
    effect: { kind: 'forge-id-token', claims: without('c_hash') },
  },
  {
    name: 'invalid-sig-rs256',
    points: ['authorization'],
    changes: "The front-channel id_token's RS256 signature is broken (one bit flipped).",
    expect: 'refuse',
    why: 'A signature that does not verify means the token was altered: refuse it.',
    references: [oidfRp('oidcc-client-test-invalid-sig-rs256'), idTokenValidation],
    effect: { kind: 'forge-id-token', signing: 'broken-signature' },
  },
  {
    name: 'sig-hs256',
    points: ['authorization'],
    changes: "The front-channel id_token is signed with HS256 keyed with the client's secret.",
    expect: 'refuse',
    why: 'The identity server signs with RS256 only (discovery says so): an HS256 token was made by someone else, or downgrades the check.',
    references: [
      oidcCore('3.1.3.7 ID Token Validation, steps 6 to 8', 'IDTokenValidation'),
      rfc('JSON Web Token best current practices', 8725, '3.1'),
    ],
    effect: { kind: 'forge-id-token', signing: 'hs256-client-secret' },
  },
  {
    name: 'alg-none',
    points: ['authorization'],
    changes: 'The front-channel id_token is unsigned (alg none).',
    expect: 'refuse',
    why: 'An unsigned token proves nothing: refuse it.',
    references: [oidcCore('3.1.3.7 ID Token Validation', 'IDTokenValidation'), rfc('JWT BCP', 8725, '3.1')],
    effect: { kind: 'forge-id-token', signing: 'unsigned' },
  },
  {
    name: 'kid-absent-single-jwks',
    points: ['authorization'],
    changes: 'The front-channel id_token has no kid, and the JWKS holds one key (the one that signed it).',
    expect: 'accept',
    why: 'With one key published, a token without kid is still verifiable: accept it.',
    references: [oidfRp('oidcc-client-test-kid-absent-single-jwks')],
    effect: { kind: 'forge-id-token', signing: 'server-key-without-kid' },
  },
  {
    name: 'kid-absent-multiple-jwks',
    points: ['authorization'],
    changes:
      'The front-channel id_token has no kid, and the JWKS holds more than one key (a second one is published with the scenario).',
    expect: 'either',
    why: 'Which key signed is not said: refuse, or try every key; never crash.',
    references: [oidfRp('oidcc-client-test-kid-absent-multiple-jwks')],
    effect: { kind: 'forge-id-token', signing: 'server-key-without-kid' },
  },
  {
    name: 'unknown-kid',
    points: ['authorization'],
    changes: 'The front-channel id_token is signed with a key the JWKS never publishes, named by its kid.',
    expect: 'refuse',
    why: 'Fetch the JWKS again once at most, then refuse: a key the identity server does not publish is not its key.',
    references: [idTokenValidation, oidcCore('10.1.1 Rotation of Asymmetric Signing Keys', 'RotateSigKeys')],
    effect: { kind: 'forge-id-token', signing: 'unpublished-key' },
  },
  {
    name: 'nonce-invalid',
    points: ['authorization'],
    changes: 'The front-channel id_token carries another nonce than the request sent (validly signed).',
    expect: 'refuse',
    why: "The nonce ties the token to this browser's sign-in: another nonce is a replayed or injected token.",
    references: [oidfRp('oidcc-client-test-nonce-invalid'), hybridIdToken],
    effect: {
      kind: 'forge-id-token',
      claims: (claims) => ({ ...claims, nonce: 'not-the-nonce-that-was-sent' }),
    },
  },
  {
    name: 'expired',
    points: ['authorization'],
    changes:
      'The front-channel id_token expired ten minutes ago (issued fifteen minutes ago; validly signed).',
    expect: 'refuse',
    why: 'An expired token may be a replay: refuse it.',
    references: [idTokenValidation],
    effect: {
      kind: 'forge-id-token',
      claims: (claims, { now }) => ({ ...claims, iat: now - 900, nbf: now - 900, exp: now - 600 }),
    },
  },
  {
    name: 'iat-in-future',
    points: ['authorization'],
    changes: 'The front-channel id_token says it was issued an hour from now (validly signed).',
    expect: 'refuse',
    why: 'A token issued in the future is forged or from a server with a broken clock: refuse it.',
    references: [idTokenValidation],
    effect: { kind: 'forge-id-token', claims: (claims, { now }) => ({ ...claims, iat: now + 3600 }) },
  },
  {
    name: 'wrong-tenant',
    points: ['authorization'],
    changes: 'The front-channel id_token names another tenant (tid; validly signed).',
    expect: 'refuse',
    why: "The app asked for its tenant (acr_values=tenant:…): a user of another tenant must not get into this one's data.",
    references: [
      {
        kind: 'AVEVA sample',
        title:
          'AVEVA hybrid authentication sample (.NET), HybridFlow/Hybrid.cs: acr_values=tenant:{tenantId}',
        url: 'https://github.com/AVEVA/sample-adh-authentication_hybrid-dotnet/blob/main/HybridFlow/Hybrid.cs',
      },
    ],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, tid: facts.otherTenantId }) },
  },
  {
    name: 'response-iss-mismatch',
    points: ['authorization'],
    changes: "The authorization response's iss parameter names another issuer (RFC 9207).",
    expect: 'refuse',
    why: 'The iss parameter defends against mix-up: a response from another issuer must not be redeemed here.',
    references: [rfc('OAuth 2.0 Authorization Server Issuer Identification', 9207, '2.4')],
    effect: {
      kind: 'change-parameters',
      change: (params, facts) => {
        params.iss = invalidIssuer(facts);
      },
    },
  },
  {
    name: 'state-mismatch',
    points: ['authorization'],
    changes: 'The authorization response carries another state than the request sent.',
    expect: 'refuse',
    why: 'state ties the response to the request this browser made: another state is cross-site request forgery.',
    references: [rfc('OAuth 2.0, CSRF protection', 6749, '10.12')],
    effect: {
      kind: 'change-parameters',
      change: (params) => {
        params.state = 'not-the-state-that-was-sent';
      },
    },
  },
  authorizationError('access_denied', 'the user cancelled the sign-in'),
  authorizationError('login_required', 'the user is not signed in'),
  authorizationError('consent_required', 'the user has not consented'),
  authorizationError('interaction_required', 'the user must interact with the identity server'),

  // The token endpoint: the code exchange.
  {
    name: 'token-invalid-iss',
    points: ['token'],
    changes: 'The id_token from the token endpoint names another issuer (validly signed).',
    expect: 'refuse',
    why: "The token endpoint's id_token is checked as the front channel's is.",
    references: [hybridTokenResponse, idTokenValidation],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, iss: invalidIssuer(facts) }) },
  },
  {
    name: 'token-invalid-aud',
    points: ['token'],
    changes: 'The id_token from the token endpoint is for another client (validly signed).',
    expect: 'refuse',
    why: "A token for another client is not this client's sign-in.",
    references: [hybridTokenResponse, idTokenValidation],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, aud: facts.otherClientId }) },
  },
  {
    name: 'token-sub-mismatch',
    points: ['token'],
    changes: "The id_token from the token endpoint names another user (sub) than the front channel's.",
    expect: 'refuse',
    why: 'Both id_tokens of a hybrid sign-in must name the same user: otherwise one of them was swapped.',
    references: [hybridTokenResponse],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, sub: facts.otherSubject }) },
  },
  {
    name: 'token-nonce-invalid',
    points: ['token'],
    changes: 'The id_token from the token endpoint carries another nonce (validly signed).',
    expect: 'refuse',
    why: "The nonce of the token endpoint's id_token must be the one the request sent.",
    references: [hybridTokenResponse, idTokenValidation],
    effect: {
      kind: 'forge-id-token',
      claims: (claims) => ({ ...claims, nonce: 'not-the-nonce-that-was-sent' }),
    },
  },
  {
    name: 'token-invalid-sig',
    points: ['token'],
    changes: 'The id_token from the token endpoint has a broken RS256 signature.',
    expect: 'either',
    why: 'An id_token received straight from the token endpoint may be trusted on TLS instead of its signature ("the TLS server validation MAY be used to validate the issuer in place of checking the token signature"; openid-client does so); an app that checks it refuses. Never a crash.',
    references: [hybridTokenResponse, idTokenValidation],
    effect: { kind: 'forge-id-token', signing: 'broken-signature' },
  },
  {
    name: 'invalid_grant',
    points: ['token', 'refresh'],
    changes: 'The token endpoint answers 400 invalid_grant (the code or refresh token refused).',
    expect: 'recover',
    why: 'A refused grant ends the sign-in (or the session): say so and let the user sign in again.',
    references: [
      rfc('OAuth 2.0, error response', 6749, '5.2'),
      is4('TokenErrorResult', 'Endpoints/Results/TokenErrorResult.cs'),
    ],
    effect: { kind: 'oauth-error', error: 'invalid_grant', description: 'the grant is invalid', status: 400 },
  },
  {
    name: 'invalid_client',
    points: ['token', 'refresh'],
    changes:
      'The token endpoint answers 400 invalid_client, as IdentityServer does for a wrong or expired secret.',
    expect: 'recover',
    why: "The app's credentials were refused: tell the operator which settings to check, never a stack trace.",
    references: [
      rfc('OAuth 2.0, error response', 6749, '5.2'),
      is4('TokenErrorResult', 'Endpoints/Results/TokenErrorResult.cs'),
    ],
    effect: {
      kind: 'oauth-error',
      error: 'invalid_client',
      description: 'client authentication failed',
      status: 400,
    },
  },
  {
    name: 'server-error',
    points: ['token', 'refresh'],
    changes:
      'The token endpoint answers HTTP 500 with an empty body (an unhandled exception in ASP.NET Core).',
    expect: 'recover',
    why: 'The identity server failed: say it is unavailable, keep nothing half done, and work again once it is back.',
    references: [rfc('OAuth 2.0, error response', 6749, '5.2')],
    effect: { kind: 'http-failure', status: 500, contentType: 'text/plain', body: '' },
  },
  {
    name: 'slow',
    points: ['token', 'refresh'],
    changes: 'The token endpoint answers after `seconds` (default 5), with the usual response.',
    expect: 'recover',
    why: 'A slow identity server must not hold the app: time out, answer the user, and let them try again.',
    references: [rfc('OAuth 2.0 security BCP', 9700, '4')],
    effect: { kind: 'delay' },
  },
  {
    name: 'malformed-json',
    points: ['token', 'refresh'],
    changes: 'The token endpoint answers 200 with a body cut off in the middle of its JSON.',
    expect: 'recover',
    why: 'A response that cannot be read is a failure like any other: a readable page, no crash.',
    references: [rfc('OAuth 2.0, access token response', 6749, '5.1')],
    effect: {
      kind: 'http-failure',
      status: 200,
      contentType: 'application/json',
      body: '{"access_token":"eyJ',
    },
  },

  // Refresh.
  {
    name: 'refresh-invalid-iss',
    points: ['refresh'],
    changes: 'The id_token of a refresh response names another issuer (validly signed).',
    expect: 'refuse',
    why: 'A refreshed id_token is validated as the first one was: refuse it, and do not keep the tokens.',
    references: [
      oidfRp('oidcc-client-test-refresh-token-invalid-issuer', 'refresh-token.spec.ts'),
      refreshResponse,
    ],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, iss: invalidIssuer(facts) }) },
  },
  {
    name: 'refresh-sub-changed',
    points: ['refresh'],
    changes: 'The id_token of a refresh response names another user (sub).',
    expect: 'refuse',
    why: '"its sub Claim Value MUST be the same as in the ID Token issued when the original authentication occurred".',
    references: [
      oidfRp('oidcc-client-test-refresh-token-invalid-sub', 'refresh-token.spec.ts'),
      refreshResponse,
    ],
    effect: { kind: 'forge-id-token', claims: (claims, facts) => ({ ...claims, sub: facts.otherSubject }) },
  },
  {
    name: 'refresh-invalid_grant',
    points: ['refresh'],
    changes: 'A refresh answers 400 invalid_grant, as for an expired or revoked refresh token.',
    expect: 'refuse',
    why: 'The session cannot be continued: end it and ask the user to sign in again.',
    references: [
      rfc('OAuth 2.0, refreshing an access token', 6749, '6'),
      is4('TokenRequestValidator', 'Validation/Default/TokenRequestValidator.cs'),
    ],
    effect: {
      kind: 'oauth-error',
      error: 'invalid_grant',
      description: 'the refresh token is unknown, used, expired or revoked',
      status: 400,
    },
  },

  // UserInfo.
  {
    name: 'userinfo-invalid-sub',
    points: ['userinfo'],
    changes: "UserInfo answers with another sub than the id_token's.",
    expect: 'refuse',
    why: '"The sub Claim in the UserInfo Response MUST be verified to exactly match the sub Claim in the ID Token; if they do not match, the UserInfo Response values MUST NOT be used."',
    references: [oidfRp('oidcc-client-test-userinfo-invalid-sub'), userInfoResponse],
    effect: {
      kind: 'change-body',
      change: (body, facts) => {
        body.sub = facts.otherSubject;
      },
    },
  },
  {
    name: 'userinfo-unauthorized',
    points: ['userinfo'],
    changes: 'UserInfo answers 401 invalid_token with a Bearer challenge.',
    expect: 'recover',
    why: 'UserInfo refused the token: carry on without it or ask to sign in again, but never crash.',
    references: [rfc('Bearer token usage, error codes', 6750, '3.1')],
    effect: {
      kind: 'oauth-error',
      error: 'invalid_token',
      description: 'the access token is not valid',
      status: 401,
      bearerChallenge: true,
    },
  },
  {
    name: 'userinfo-server-error',
    points: ['userinfo'],
    changes: 'UserInfo answers HTTP 500 with an empty body.',
    expect: 'recover',
    why: 'UserInfo is down: carry on without it (the id_token names the user) or fail cleanly.',
    references: [userInfoResponse],
    effect: { kind: 'http-failure', status: 500, contentType: 'text/plain', body: '' },
  },

  // Discovery and keys: these requests carry no client, so the scenario reaches whoever asks next.
  {
    name: 'discovery-issuer-mismatch',
    points: ['discovery'],
    changes: 'The discovery document announces another issuer than the one it is fetched from.',
    expect: 'refuse',
    why: '"The issuer value returned MUST be identical to the Issuer URL that was used as the prefix": a mismatch means mix-up or misconfiguration.',
    references: [
      oidfRp('oidcc-client-test-discovery-issuer-mismatch', 'config.spec.ts'),
      {
        kind: 'standard',
        title: 'OpenID Connect Discovery 1.0, 4.3 Provider Configuration Validation',
        url: 'https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation',
      },
    ],
    effect: {
      kind: 'change-body',
      change: (body, facts) => {
        body.issuer = invalidIssuer(facts);
      },
    },
  },
  {
    name: 'jwks-unavailable',
    points: ['jwks'],
    changes: 'The JWKS endpoint answers HTTP 503.',
    expect: 'recover',
    why: 'Without keys nothing can be verified: refuse the sign-in cleanly, and verify again once the keys are back.',
    references: [oidcCore('10.1.1 Rotation of Asymmetric Signing Keys', 'RotateSigKeys')],
    effect: { kind: 'http-failure', status: 503, contentType: 'text/plain', body: 'Service Unavailable' },
  },
  {
    name: 'signing-key-rotation',
    points: ['authorization'],
    changes:
      'The front-channel id_token is signed with a new key, published in the JWKS from when the scenario is set (a key the app has not cached).',
    expect: 'accept',
    why: 'Keys rotate: on a kid it has not seen, the app fetches the JWKS again and verifies.',
    references: [
      oidfRp('oidcc-client-test-signing-key-rotation-just-before-signing', 'config.spec.ts'),
      oidfRp('oidcc-client-test-signing-key-rotation', 'config.spec.ts'),
      oidcCore('10.1.1 Rotation of Asymmetric Signing Keys', 'RotateSigKeys'),
    ],
    effect: { kind: 'forge-id-token', signing: 'new-published-key' },
  },
] as const satisfies readonly ScenarioDefinition[];

export type ScenarioName = (typeof scenarioCatalogue)[number]['name'];
export const scenarioNames = scenarioCatalogue.map((scenario) => scenario.name) as ScenarioName[];

const byName = new Map<string, ScenarioDefinition>(
  scenarioCatalogue.map((scenario) => [scenario.name, scenario]),
);
export const scenarioDefinition = (name: string): ScenarioDefinition | undefined => byName.get(name);

/** Discovery and JWKS requests name no client: a scenario there reaches whoever asks next. */
export const reachesEveryClient = (definition: Pick<ScenarioDefinition, 'points'>): boolean =>
  definition.points.every((point) => point === 'discovery' || point === 'jwks');
