/**
 * The relying-party test plan: one module per check a hybrid-client web app must pass, named after the OpenID
 * Foundation's RP test module where one exists (oidcc-…), the kit's own otherwise (hck-…). A module sets the mock's
 * scenarios for the app's client, drives one sign-in (or refresh, or sign-out) in a browser, and is judged on what
 * the app did. What a scenario changes, why it matters and its references come from the scenario catalogue.
 */
import {
  type ScenarioDefinition,
  type ScenarioName,
  scenarioDefinition,
} from '../../../mock-idp/src/scenarios/catalogue.ts';

/** What the app must do for the module to pass. */
export type Verdict =
  /** The sign-in (or refresh) completes: the signed-in URL answers 2xx (a native app exits 0). */
  | 'accept'
  /** No session, and the code was never redeemed: the app checked the response before spending the code. */
  | 'refuse-before-redeem'
  /** No session (or, for a refresh, the app did not go on with the refreshed tokens). */
  | 'refuse'
  /** An answer within the time limit without a stack trace, and the next normal sign-in works. */
  | 'recover'
  /** Either outcome, within the time limit and without a stack trace. */
  | 'either';

/** What the browser did, what the app answered, and what the mock saw: the module's evidence. */
export interface Evidence {
  /** The authorization request the app sent the browser with. */
  authorizationRequest: URLSearchParams | null;
  /** Where the browser ended and what the app answered there. */
  landed: { url: string; status: number | null } | null;
  answeredInMs: number | null;
  /** The app's page shows a stack trace (a file and line of code). */
  stackTrace: boolean;
  signedIn: boolean;
  codeRedeemed: boolean;
  userinfoCalled: boolean;
  /** How the app authenticated at the token endpoint. */
  tokenAuthentication: string | null;
  /** For a refresh module: the app asked for a refresh, and what it answered. */
  refresh?: { attempted: boolean; status: number | null };
  /** For a recover module: the next normal sign-in. */
  recovered?: boolean;
  /** For a sign-out module: the app revoked at the identity server and sent the browser to end the session. */
  signOut?: { revoked: boolean; endSession: boolean };
}

export interface RpModule {
  name: string;
  /** What it checks, in a sentence. */
  checks: string;
  scenarios: { name: ScenarioName; options?: { seconds?: number; clientSecret?: true } }[];
  flow: 'sign-in' | 'refresh' | 'sign-out';
  verdict: Verdict;
  /** A MAY of the standards: reported, never failing the run. */
  advisory?: true;
  /**
   * Why it runs with no other module beside it (before the others, which run side by side, each signed in as its
   * own user): what it needs or judges is shared by every user.
   */
  alone?: string;
  /** A further requirement on the evidence: why it is not met, or null. */
  requires?: (evidence: Evidence) => string | null;
  /** Where the check comes from, when no scenario says. */
  references?: { title: string; url: string }[];
  /** Why it matters, when no scenario says. */
  why?: string;
}

const oidcCore = (section: string, anchor: string) => ({
  title: `OpenID Connect Core 1.0, ${section}`,
  url: `https://openid.net/specs/openid-connect-core-1_0.html#${anchor}`,
});
const plan = (module: string, file = 'hybrid.spec.ts') => ({
  title: `${module} (OpenID Foundation conformance suite, RP tests)`,
  url: `https://github.com/balazsorban44/openid-conformance-suite/blob/main/tests/rp/${file}`,
});

const refusedBeforeRedeeming = (name: string, scenario: ScenarioName, advisory = false): RpModule => ({
  name,
  checks: `refuses ${scenario} in the authorization response, before it redeems the code`,
  scenarios: [{ name: scenario, ...(scenario === 'sig-hs256' && { options: { clientSecret: true } }) }],
  flow: 'sign-in',
  verdict: 'refuse-before-redeem',
  ...(advisory && { advisory: true }),
});

const refused = (
  name: string,
  scenario: ScenarioName,
  flow: 'sign-in' | 'refresh' = 'sign-in',
): RpModule => ({
  name,
  checks: `refuses ${scenario}`,
  scenarios: [{ name: scenario }],
  flow,
  verdict: 'refuse',
});

const recovers = (name: string, scenario: ScenarioName, options?: { seconds?: number }): RpModule => ({
  name,
  checks: `answers ${scenario} cleanly, then signs in again`,
  scenarios: [{ name: scenario, ...(options && { options }) }],
  flow: 'sign-in',
  verdict: 'recover',
});

export const rpModules: RpModule[] = [
  {
    name: 'oidcc-client-test',
    checks: 'signs in with code id_token by form_post, and calls UserInfo',
    scenarios: [],
    flow: 'sign-in',
    verdict: 'accept',
    requires: (evidence) => (evidence.userinfoCalled ? null : 'the app never called UserInfo'),
    references: [plan('oidcc-client-test')],
    why: 'The plain sign-in must work before any refusal means anything.',
  },
  refusedBeforeRedeeming('oidcc-client-test-invalid-iss', 'invalid-iss'),
  refusedBeforeRedeeming('oidcc-client-test-invalid-aud', 'invalid-aud'),
  refusedBeforeRedeeming('oidcc-client-test-missing-sub', 'missing-sub'),
  refusedBeforeRedeeming('oidcc-client-test-missing-iat', 'missing-iat'),
  {
    name: 'oidcc-client-test-kid-absent-single-jwks',
    checks: 'accepts an id_token without kid when the JWKS holds one key',
    scenarios: [{ name: 'kid-absent-single-jwks' }],
    flow: 'sign-in',
    alone: 'it needs the JWKS to hold one key, before the modules that publish keys run',
    verdict: 'accept',
  },
  {
    name: 'oidcc-client-test-kid-absent-multiple-jwks',
    checks: 'refuses an id_token without kid among several keys, or finds its key; never crashes',
    scenarios: [{ name: 'kid-absent-multiple-jwks' }],
    flow: 'sign-in',
    verdict: 'either',
  },
  refusedBeforeRedeeming('oidcc-client-test-invalid-chash', 'invalid-chash'),
  refusedBeforeRedeeming('oidcc-client-test-missing-chash', 'missing-chash'),
  {
    name: 'oidcc-client-test-idtoken-sig-rs256',
    checks: 'accepts an id_token signed with RS256',
    scenarios: [],
    flow: 'sign-in',
    verdict: 'accept',
    references: [plan('oidcc-client-test-idtoken-sig-rs256')],
    why: 'RS256 is what the Data Hub identity server signs with.',
  },
  refusedBeforeRedeeming('oidcc-client-test-invalid-sig-rs256', 'invalid-sig-rs256'),
  refused('oidcc-client-test-userinfo-invalid-sub', 'userinfo-invalid-sub'),
  {
    name: 'oidcc-client-test-nonce-unless-code-flow',
    checks: 'sends a nonce with the hybrid response type',
    scenarios: [],
    flow: 'sign-in',
    verdict: 'accept',
    requires: (evidence) => (evidence.authorizationRequest?.get('nonce') ? null : 'the app sent no nonce'),
    references: [
      plan('oidcc-client-test-nonce-unless-code-flow'),
      oidcCore('3.3.2.11 nonce', 'HybridAuthRequest'),
    ],
    why: 'Without a nonce, a stolen id_token can be replayed into another sign-in.',
  },
  refusedBeforeRedeeming('oidcc-client-test-nonce-invalid', 'nonce-invalid'),
  {
    name: 'oidcc-client-test-scope-userinfo-claims',
    checks: "asks for the user's claims with the profile or email scope",
    scenarios: [],
    flow: 'sign-in',
    verdict: 'accept',
    requires: (evidence) => {
      const scopes = (evidence.authorizationRequest?.get('scope') ?? '').split(' ');
      return scopes.some((scope) => ['profile', 'email', 'address', 'phone'].includes(scope))
        ? null
        : `the app asked for "${scopes.join(' ')}", none of profile, email, address, phone`;
    },
    references: [
      plan('oidcc-client-test-scope-userinfo-claims'),
      oidcCore('5.4 Requesting Claims using Scope Values', 'ScopeClaims'),
    ],
    why: 'Claims come with the scopes that ask for them; an app that shows a name must ask for profile.',
  },
  {
    name: 'oidcc-client-test-client-secret-basic',
    checks: 'authenticates at the token endpoint with client_secret_basic',
    scenarios: [],
    flow: 'sign-in',
    verdict: 'accept',
    advisory: true,
    requires: (evidence) =>
      evidence.tokenAuthentication === 'client_secret_basic'
        ? null
        : `the app authenticated with ${evidence.tokenAuthentication ?? 'nothing the mock saw'} (Data Hub accepts client_secret_post too)`,
    references: [plan('oidcc-client-test-client-secret-basic')],
    why: "The foundation's plan fixes client_secret_basic; Data Hub accepts both, so this is advisory here.",
  },
  {
    name: 'oidcc-client-test-form-post-error',
    checks: 'shows a page, not a crash, for an error delivered by form_post',
    scenarios: [{ name: 'access_denied' }],
    flow: 'sign-in',
    verdict: 'refuse',
  },
  {
    name: 'oidcc-client-test-refresh-token',
    checks: 'refreshes with the refresh token, and stays signed in',
    scenarios: [],
    flow: 'refresh',
    verdict: 'accept',
    references: [plan('oidcc-client-test-refresh-token', 'refresh-token.spec.ts')],
    why: 'A session that cannot refresh ends after an hour.',
  },
  refused('oidcc-client-test-refresh-token-invalid-issuer', 'refresh-invalid-iss', 'refresh'),
  refused('oidcc-client-test-refresh-token-invalid-sub', 'refresh-sub-changed', 'refresh'),
  {
    name: 'oidcc-client-test-signing-key-rotation',
    checks: 'fetches the JWKS again for a key it has not seen, and signs in',
    scenarios: [{ name: 'signing-key-rotation' }],
    flow: 'sign-in',
    verdict: 'accept',
    why: "Keys rotate: on a kid it has not seen, the app fetches the JWKS again at once and verifies (the foundation's just-before-signing variant rotates the key as it signs). An app that first waits out a cooldown, as jose's remote key set does for 30 s after its last fetch, fails it whenever it fetched the keys within that time.",
  },
  // The kit's own: what the foundation's plans leave out.
  refusedBeforeRedeeming('hck-expired', 'expired'),
  refusedBeforeRedeeming('hck-sig-hs256', 'sig-hs256'),
  refusedBeforeRedeeming('hck-alg-none', 'alg-none'),
  refusedBeforeRedeeming('hck-unknown-kid', 'unknown-kid'),
  refusedBeforeRedeeming('hck-response-iss-mismatch', 'response-iss-mismatch'),
  refusedBeforeRedeeming('hck-state-mismatch', 'state-mismatch'),
  refusedBeforeRedeeming('hck-iat-in-future', 'iat-in-future', true),
  refusedBeforeRedeeming('hck-wrong-tenant', 'wrong-tenant', true),
  refused('hck-token-invalid-iss', 'token-invalid-iss'),
  refused('hck-token-invalid-aud', 'token-invalid-aud'),
  refused('hck-token-nonce-invalid', 'token-nonce-invalid'),
  {
    // UserInfo is down meanwhile, so only the comparison of the two id_tokens can catch it.
    name: 'hck-token-sub-mismatch',
    checks:
      "refuses a token-endpoint id_token naming another user than the front channel's, even with UserInfo down",
    scenarios: [{ name: 'token-sub-mismatch' }, { name: 'userinfo-server-error' }],
    flow: 'sign-in',
    verdict: 'refuse',
  },
  refused('hck-refresh-invalid-grant', 'refresh-invalid_grant', 'refresh'),
  recovers('hck-invalid-client-400', 'invalid_client'),
  recovers('hck-token-invalid-grant', 'invalid_grant'),
  recovers('hck-token-server-error', 'server-error'),
  recovers('hck-token-malformed-json', 'malformed-json'),
  recovers('hck-token-slow', 'slow', { seconds: 15 }),
  recovers('hck-userinfo-unauthorized', 'userinfo-unauthorized'),
  recovers('hck-userinfo-server-error', 'userinfo-server-error'),
  {
    name: 'hck-sign-out',
    checks:
      'signs out: revokes the refresh token, sends the browser to end the session, and the session is gone',
    scenarios: [],
    flow: 'sign-out',
    alone: 'its evidence, the revocation and end-session requests, does not say whose sign-in they end',
    verdict: 'refuse',
    requires: (evidence) =>
      !evidence.signOut?.endSession
        ? 'the app did not send the browser to the end-session endpoint'
        : !evidence.signOut.revoked
          ? 'the app did not revoke its refresh token'
          : null,
    references: [
      {
        title: 'OpenID Connect RP-Initiated Logout 1.0; RFC 7009 token revocation',
        url: 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html',
      },
    ],
    why: 'A sign-out that leaves a refresh token alive leaves the session alive at the identity server.',
  },
];

/** A module's references and why it matters: its own, or its scenario's. */
export function moduleSources(module: RpModule): {
  references: { title: string; url: string }[];
  why: string;
} {
  const scenario =
    module.scenarios[0] && (scenarioDefinition(module.scenarios[0].name) as ScenarioDefinition);
  return {
    references: module.references ?? scenario?.references.map(({ title, url }) => ({ title, url })) ?? [],
    why: module.why ?? scenario?.why ?? '',
  };
}
