/**
 * The steps of *your* last sign-in, its refreshes and its sign-out, as the "How this sign-in worked" page shows
 * them: what was sent and what came back (credentials as fingerprints, JWTs decoded), the checks the app made
 * with their outcome, and the rule of the hybrid flow each step satisfies (the ids are those of the kit's rule
 * catalogue, docs/fidelity.md). Built from the values the app had in hand; only the redacted result is stored.
 */
import { createHash } from 'node:crypto';
import { calculatePKCECodeChallenge } from 'openid-client';
import type { RecordedExchange } from '../auth/exchange-recorder.ts';
import type { Endpoints, SignInChecks } from '../auth/identity-server.ts';
import { basicClientId, type DecodedJwt, decodedJwt, fingerprint, isCredential, shown } from './redaction.ts';

export interface Field {
  name: string;
  value: string;
}

export interface Message {
  /** "POST https://…/connect/token" or "HTTP 200". */
  line: string;
  fields: Field[];
  /** JWTs the message carried, decoded. */
  tokens: { name: string; jwt: DecodedJwt }[];
}

export interface Check {
  what: string;
  expected: string;
  found: string;
  ok: boolean;
}

export interface Rule {
  id: string;
  says: string;
}

/**
 * One step as stored: what it carried and how its checks went. What a step is and which rules it satisfies are
 * the same at every sign-in: they come from `stepTexts` when the page is drawn, and are not stored.
 */
export interface Step {
  kind: StepKind;
  /** Epoch ms; null when the app did not note it (the authorization request is made by the browser). */
  at: number | null;
  sent: Message | null;
  received: Message | null;
  checks: Check[];
}

/** What the session keeps: the last sign-in and its latest refreshes. */
export interface Walkthrough {
  signIn: Step[];
  refreshes: Step[];
}

/** The refreshes the page keeps: the latest few (a month of hourly refreshes must not grow the session). */
export const keptRefreshes = 5;

/** The rules the steps cite, in words; the ids are those of the kit's rule catalogue. */
export const rules = {
  'hybrid-response': 'A hybrid client asks for response_type=code id_token.',
  'default-response-mode':
    'form_post only when asked: the code and id_token travel in a POST, not in the URL.',
  pkce: 'PKCE S256: the token endpoint checks the verifier against the challenge.',
  'nonce-required': 'The nonce is required, and returned in the id_token.',
  tenant: 'acr_values=tenant:{id} names the tenant; tokens carry tid.',
  'state-echoed': 'The state of a sign-in request is echoed to the redirect URL.',
  'c-hash': 'The front-channel id_token carries c_hash, binding it to the code.',
  'id-token-signature': 'Tokens are signed RS256 with a published kid.',
  'form-post-cross-site':
    'The form_post callback works when the identity server and the app are different sites.',
  'client-auth': 'The client authenticates at the token endpoint (client_secret_basic here).',
  'code-redirect-match': 'The code is redeemed with the redirect URL it was issued for.',
  'code-single-use': 'An authorization code is used once.',
  'token-lifetime-issued': 'The access token lives exactly the client token lifetime.',
  'role-type': 'Tenant roles reach the app as role_type claims holding role ids.',
  'refresh-rotation': 'A refresh token is used once: each refresh returns a new one.',
  'refresh-reuse': 'A used refresh token fails with invalid_grant.',
  'refresh-revocable': 'A refresh token can be revoked (RFC 7009).',
  'sample-revokes-at-sign-out':
    'The app revokes its refresh token at sign-out, before the end-session redirect.',
  'logout-id-token-hint': 'The logout redirect needs a valid id_token_hint of this client.',
  'logout-redirect-registered':
    'After sign-out the user is sent only to a registered Allowed Logout Redirect URL.',
  'logout-state': 'The state of a sign-out request is echoed to the logout redirect URL.',
} as const;

export type RuleId = keyof typeof rules;
const cite = (...ids: RuleId[]): Rule[] => ids.map((id) => ({ id, says: rules[id] }));

/** What each kind of step is, in words, and the rules it satisfies. */
export const stepTexts = {
  'authorization-request': {
    title: 'The authorization request',
    explanation:
      'The app sent your browser to the identity server with these parameters. It kept state, nonce and the PKCE ' +
      "verifier in a short-lived encrypted cookie; only the verifier's hash (the challenge) travels here.",
    rules: cite('hybrid-response', 'default-response-mode', 'pkce', 'nonce-required', 'tenant'),
  },
  'form-post': {
    title: 'The form_post your browser delivered',
    explanation:
      'After you signed in, the identity server answered with a page that posted the code and an id_token to the ' +
      "app's redirect URL. Before spending the code, the app checked the id_token (signature, issuer, audience, " +
      'nonce) and that it belongs to this code (c_hash).',
    rules: cite('form-post-cross-site', 'state-echoed', 'nonce-required', 'c-hash', 'id-token-signature'),
  },
  'code-exchange': {
    title: 'The code exchange (back channel)',
    explanation:
      'The app sent the code to the token endpoint, server to server, authenticated with the client secret and ' +
      'proving PKCE with the verifier. It got the access token, a second id_token, and (with offline_access and ' +
      'Allow Refresh Token) a refresh token.',
    rules: cite('client-auth', 'pkce', 'code-redirect-match', 'code-single-use', 'token-lifetime-issued'),
  },
  userinfo: {
    title: 'UserInfo',
    explanation:
      'With the new access token, the app asked the UserInfo endpoint for your name, email and roles.',
    rules: cite('role-type'),
  },
  refresh: {
    title: 'A refresh',
    explanation:
      'The access token was about to expire (or you asked for a refresh), so the app spent its refresh token at ' +
      'the token endpoint. The identity server rotates refresh tokens: the answer holds a new one, and the old one ' +
      'is used up.',
    rules: cite('refresh-rotation', 'refresh-reuse', 'client-auth'),
  },
  revocation: {
    title: 'Revoking the refresh token',
    explanation:
      'The app ended its session, then revoked its refresh token, which would otherwise outlive the session.',
    rules: cite('sample-revokes-at-sign-out', 'refresh-revocable'),
  },
  'end-session': {
    title: 'The end-session request',
    explanation:
      'The app sent your browser to the identity server to end the sign-on session there too, naming itself with ' +
      'the id_token and asking to come back to a registered logout URL with a state it keeps in a cookie.',
    rules: cite('logout-id-token-hint', 'logout-redirect-registered'),
  },
  'signed-out': {
    title: 'Back at the app',
    explanation:
      'The identity server signed you out and sent your browser back to the signed-out page with the state.',
    rules: cite('logout-state'),
  },
} satisfies Record<string, { title: string; explanation: string; rules: Rule[] }>;

export type StepKind = keyof typeof stepTexts;

/** c_hash: the left half of the SHA-256 of the code, base64url (OpenID Connect Core 3.3.2.11, for RS256). */
export const codeHash = (code: string) =>
  createHash('sha256').update(code).digest().subarray(0, 16).toString('base64url');

const check = (what: string, expected: string, found: string): Check => ({
  what,
  expected,
  found,
  ok: expected === found,
});

const text = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined ? '(none)' : JSON.stringify(value);

function fieldsOf(entries: Iterable<[string, string]>): Field[] {
  return [...entries].map(([name, value]) => ({ name, value: shown(name, value) }));
}

function tokensIn(entries: Iterable<[string, unknown]>): { name: string; jwt: DecodedJwt }[] {
  return [...entries].flatMap(([name, value]) => {
    const jwt = isCredential(name) ? decodedJwt(value) : null;
    return jwt ? [{ name, jwt }] : [];
  });
}

/** One recorded request and its response, as the page shows them. */
function messagesOf(exchange: RecordedExchange): { sent: Message; received: Message } {
  const headers = Object.entries(exchange.requestHeaders).filter(
    ([name]) => name.toLowerCase() === 'authorization',
  );
  const clientId = basicClientId(headers[0]?.[1]);
  const sent: Message = {
    line: `${exchange.method} ${exchange.url}`,
    fields: [
      ...fieldsOf(headers),
      ...(clientId
        ? [
            {
              name: 'client authentication',
              value: `client_secret_basic: client_id ${clientId}, secret not shown`,
            },
          ]
        : []),
      ...fieldsOf(exchange.requestBody ?? []),
    ],
    tokens: [],
  };
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = exchange.responseBody ? JSON.parse(exchange.responseBody) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (an empty revocation answer): nothing to list.
  }
  const received: Message = {
    line: `HTTP ${exchange.status}`,
    fields: Object.entries(body).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? shown(name, value) : JSON.stringify(value),
    })),
    tokens: tokensIn(Object.entries(body)),
  };
  return { sent, received };
}

const exchangeTo = (exchanges: RecordedExchange[], url: string | undefined) =>
  url ? exchanges.find((exchange) => exchange.url.split('?')[0] === url) : undefined;

export interface SignInRecord {
  /** The authorization URL the browser was sent to. */
  authorizationUrl: URL;
  /** What the app kept for the callback. */
  sent: SignInChecks;
  /** The fields of the form_post the browser delivered. */
  callback: URLSearchParams;
  /** The redemption's requests and responses (token endpoint, UserInfo). */
  exchanges: RecordedExchange[];
  endpoints: Endpoints;
  clientId: string;
  at: number;
}

export async function signInSteps(record: SignInRecord): Promise<Step[]> {
  const { authorizationUrl, sent, callback, exchanges, endpoints, clientId, at } = record;
  const challenge = authorizationUrl.searchParams.get('code_challenge') ?? '';
  const code = callback.get('code') ?? '';
  const frontChannel = decodedJwt(callback.get('id_token'));
  const claims = frontChannel?.claims ?? {};
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;

  const steps: Step[] = [
    {
      kind: 'authorization-request',
      at: null,
      sent: {
        line: `GET ${authorizationUrl.origin}${authorizationUrl.pathname}`,
        fields: fieldsOf(authorizationUrl.searchParams),
        tokens: [],
      },
      received: null,
      checks: [
        check(
          'code_challenge is BASE64URL(SHA-256(code_verifier))',
          await calculatePKCECodeChallenge(sent.codeVerifier),
          challenge,
        ),
      ],
    },
    {
      kind: 'form-post',
      at,
      sent: null,
      received: {
        line: `POST ${authorizationUrl.searchParams.get('redirect_uri') ?? ''}`,
        fields: fieldsOf(callback),
        tokens: frontChannel ? [{ name: 'id_token (front channel)', jwt: frontChannel }] : [],
      },
      checks: [
        check('state came back unchanged', sent.state, callback.get('state') ?? '(none)'),
        check('nonce in the id_token is the one sent', sent.nonce, text(claims.nonce)),
        check('c_hash in the id_token is computed from the code', codeHash(code), text(claims.c_hash)),
        check('the id_token is for this client (aud)', clientId, text(audience)),
      ],
    },
  ];

  const token = exchangeTo(exchanges, endpoints.token_endpoint);
  if (token) {
    const { sent: request, received } = messagesOf(token);
    const backChannel = received.tokens.find((item) => item.name === 'id_token')?.jwt.claims ?? {};
    steps.push({
      kind: 'code-exchange',
      at,
      sent: request,
      received,
      checks: [
        check(
          'the code sent is the code received (fingerprint)',
          fingerprint(code),
          shown('code', token.requestBody?.get('code') ?? ''),
        ),
        check('both id_tokens name the same user (sub)', text(claims.sub), text(backChannel.sub)),
      ],
    });
  }
  const userinfo = exchangeTo(exchanges, endpoints.userinfo_endpoint);
  if (userinfo) steps.push({ kind: 'userinfo', at, ...messagesOf(userinfo), checks: [] });
  return steps;
}

/** A refresh: the refresh token spent, the new one that replaced it. */
export function refreshStep(exchanges: RecordedExchange[], endpoints: Endpoints, at: number): Step | null {
  const token = exchangeTo(exchanges, endpoints.token_endpoint);
  if (!token) return null;
  const { sent, received } = messagesOf(token);
  const spent = fingerprint(token.requestBody?.get('refresh_token') ?? '');
  const next = received.fields.find((field) => field.name === 'refresh_token')?.value ?? '(none)';
  return {
    kind: 'refresh',
    at,
    sent,
    received,
    checks: [
      {
        what: 'a new refresh token replaced the spent one',
        expected: `not ${spent}`,
        found: next,
        ok: next !== spent && next !== '(none)',
      },
    ],
  };
}

/** Sign-out: the revocation the app made, and the end-session request it sent the browser with. */
export function signOutSteps(
  revocation: RecordedExchange[],
  endpoints: Endpoints,
  endSessionUrl: URL,
  at: number,
): Step[] {
  const revoked = exchangeTo(revocation, endpoints.revocation_endpoint);
  const endSession: Step = {
    kind: 'end-session',
    at,
    sent: {
      line: `GET ${endSessionUrl.origin}${endSessionUrl.pathname}`,
      fields: fieldsOf(endSessionUrl.searchParams),
      tokens: [],
    },
    received: null,
    checks: [],
  };
  if (!revoked) return [endSession];
  const revocationStep: Step = {
    kind: 'revocation',
    at,
    ...messagesOf(revoked),
    checks: [check('the identity server accepted the revocation', 'HTTP 200', `HTTP ${revoked.status}`)],
  };
  return [revocationStep, endSession];
}

/** The browser's return to the signed-out page. */
export function signedOutStep(expectedState: string | undefined, returnedState: unknown, at: number): Step {
  return {
    kind: 'signed-out',
    at,
    sent: null,
    received: {
      line: 'GET signed-out page',
      fields: [{ name: 'state', value: text(returnedState) }],
      tokens: [],
    },
    checks: [
      check('state came back unchanged', expectedState ?? '(no sign-out in progress)', text(returnedState)),
    ],
  };
}
