/**
 * The steps of *your* last sign-in, its refreshes and its sign-out, as the "How this sign-in worked" page shows
 * them: what was sent and what came back (credentials as fingerprints, JWTs decoded), the checks with who enforces
 * each, recomputed here from two different sources (what went out against what came back) so that a check can
 * fail, and the rules of the hybrid flow each step satisfies, in the words of the kit's rule catalogue
 * (docs/fidelity.md). Built from the values the app had in hand; only the redacted result is stored.
 */
import { createHash } from 'node:crypto';
import { calculatePKCECodeChallenge } from 'openid-client';
import { rules as catalogue } from '../specs/conformance/rules.ts';
import type { RecordedExchange } from './exchange-recorder.ts';
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

/**
 * A check as the page shows it. Its values are recomputed here from two sources that could disagree; `enforcedBy`
 * says who refuses the sign-in when they do (the page only shows it).
 */
export interface Check {
  what: string;
  ok: boolean;
  enforcedBy: 'openid-client, before the code was spent' | 'the identity server' | 'this app' | null;
  /** The values compared, when the check compares two (a check this app made elsewhere shows its outcome only). */
  expected?: string;
  found?: string;
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

/** A rule in the catalogue's words; an id the catalogue does not have stops the app at start. */
const cite = (...ids: string[]): Rule[] =>
  ids.map((id) => {
    const rule = catalogue.find((candidate) => candidate.id === id);
    if (!rule) throw new Error(`the walkthrough cites #${id}, which the rule catalogue does not have`);
    return { id, says: rule.rule };
  });

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
const codeHash = (code: string) =>
  createHash('sha256').update(code).digest().subarray(0, 16).toString('base64url');

const check = (what: string, enforcedBy: Check['enforcedBy'], expected: string, found: string): Check => ({
  what,
  enforcedBy,
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

/** The requests the app made, told apart by what they carry: token requests name their grant type. */
const tokenRequest = (exchanges: RecordedExchange[], grantType: string) =>
  exchanges.findLast((exchange) => exchange.requestBody?.get('grant_type') === grantType);
const revocationRequest = (exchanges: RecordedExchange[]) =>
  exchanges.findLast(
    (exchange) => exchange.requestBody?.has('token') && !exchange.requestBody.has('grant_type'),
  );
const userinfoRequest = (exchanges: RecordedExchange[]) =>
  exchanges.findLast(
    (exchange) =>
      exchange.method === 'GET' &&
      Object.entries(exchange.requestHeaders).some(
        ([name, value]) => name.toLowerCase() === 'authorization' && /^bearer /i.test(value),
      ),
  );

export interface SignInRecord {
  /** The authorization URL the browser was sent to, as sent; null when it was not kept. */
  authorizationUrl: URL | null;
  /** The PKCE verifier the app sent with the code. */
  codeVerifier: string;
  /** The fields of the form_post the browser delivered. */
  callback: URLSearchParams;
  /** The redemption's requests and responses (token endpoint, UserInfo). */
  exchanges: RecordedExchange[];
  clientId: string;
  at: number;
}

export async function signInSteps(record: SignInRecord): Promise<Step[]> {
  const { authorizationUrl, codeVerifier, callback, exchanges, clientId, at } = record;
  const request = authorizationUrl?.searchParams;
  const code = callback.get('code') ?? '';
  const frontChannel = decodedJwt(callback.get('id_token'));
  const claims = frontChannel?.claims ?? {};
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const openidClient = 'openid-client, before the code was spent';

  const steps: Step[] = [
    {
      kind: 'authorization-request',
      at: null,
      sent: authorizationUrl
        ? {
            line: `GET ${authorizationUrl.origin}${authorizationUrl.pathname}`,
            fields: fieldsOf(authorizationUrl.searchParams),
            tokens: [],
          }
        : {
            line: 'not kept: the sign-in began before this page could keep its request',
            fields: [],
            tokens: [],
          },
      received: null,
      checks: request
        ? [
            check(
              'code_challenge sent is BASE64URL(SHA-256(code_verifier sent with the code))',
              'the identity server',
              await calculatePKCECodeChallenge(codeVerifier),
              request.get('code_challenge') ?? '(none)',
            ),
          ]
        : [],
    },
    {
      kind: 'form-post',
      at,
      sent: null,
      received: {
        line: `POST ${request?.get('redirect_uri') ?? 'the redirect URL'}`,
        fields: fieldsOf(callback),
        tokens: frontChannel ? [{ name: 'id_token (front channel)', jwt: frontChannel }] : [],
      },
      checks: [
        ...(request
          ? [
              check(
                'state came back as sent',
                openidClient,
                request.get('state') ?? '',
                callback.get('state') ?? '(none)',
              ),
              check(
                'nonce in the id_token is the one sent',
                openidClient,
                request.get('nonce') ?? '',
                text(claims.nonce),
              ),
            ]
          : []),
        check(
          'c_hash in the id_token is computed from the code',
          openidClient,
          codeHash(code),
          text(claims.c_hash),
        ),
        check('the id_token is for this client (aud)', openidClient, clientId, text(audience)),
      ],
    },
  ];

  const token = tokenRequest(exchanges, 'authorization_code');
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
          null,
          fingerprint(code),
          shown('code', token.requestBody?.get('code') ?? ''),
        ),
        check('both id_tokens name the same user (sub)', null, text(claims.sub), text(backChannel.sub)),
      ],
    });
  }
  const userinfo = userinfoRequest(exchanges);
  if (userinfo) steps.push({ kind: 'userinfo', at, ...messagesOf(userinfo), checks: [] });
  return steps;
}

/** A refresh: the refresh token spent, the new one that replaced it. */
export function refreshStep(exchanges: RecordedExchange[], at: number): Step | null {
  const token = tokenRequest(exchanges, 'refresh_token');
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
        enforcedBy: null,
        expected: `not ${spent}`,
        found: next,
        ok: next !== spent && next !== '(none)',
      },
    ],
  };
}

/** Sign-out: the revocation the app made, and the end-session request it sent the browser with. */
export function signOutSteps(revocation: RecordedExchange[], endSessionUrl: URL, at: number): Step[] {
  const revoked = revocationRequest(revocation);
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
    checks: [
      check('the identity server accepted the revocation', null, 'HTTP 200', `HTTP ${revoked.status}`),
    ],
  };
  return [revocationStep, endSession];
}

/** The browser's return to the signed-out page, with the outcome of the app's own check of its state. */
export function signedOutStep(stateMatched: boolean, returnedState: unknown, at: number): Step {
  return {
    kind: 'signed-out',
    at,
    sent: null,
    received: {
      line: 'GET signed-out page',
      fields: [{ name: 'state', value: text(returnedState) }],
      tokens: [],
    },
    checks: [{ what: 'state came back as the sign-out sent it', enforcedBy: 'this app', ok: stateMatched }],
  };
}
