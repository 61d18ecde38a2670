/** Plain-HTTP steps of the hybrid flow, for specs that probe one rule at a time. */
import { createHash, randomBytes } from 'node:crypto';
import type { TestIdp } from './mock-idp.ts';
import { alice, offlineClient, type SeededHybridClient } from './test-seed.ts';
import { type FormPost, UserAgent } from './user-agent.ts';

export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

export function authorizationUrl(
  idp: Pick<TestIdp, 'issuer'>,
  client: Pick<SeededHybridClient, 'id' | 'redirectUri'>,
  params: Record<string, string | undefined> = {},
): string {
  const url = new URL(`${idp.issuer}/connect/authorize`);
  const all: Record<string, string | undefined> = {
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code id_token',
    response_mode: 'form_post',
    scope: 'openid profile email ocsapi offline_access',
    nonce: randomBytes(12).toString('base64url'),
    state: randomBytes(12).toString('base64url'),
    // PKCE is required (IdentityServer4 4.x): a challenge whose verifier is thrown away, unless the caller gives its own.
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

export interface TokenCall {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function tokenRequest(
  idp: Pick<TestIdp, 'issuer'>,
  form: Record<string, string>,
  auth: { id: string; secret: string; method?: 'basic' | 'post' } | null,
  endpoint = 'token',
): Promise<TokenCall> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(form);
  if (auth?.method === 'post') {
    body.set('client_id', auth.id);
    body.set('client_secret', auth.secret);
  } else if (auth) {
    const encode = (value: string) => encodeURIComponent(value);
    headers.authorization = `Basic ${Buffer.from(`${encode(auth.id)}:${encode(auth.secret)}`).toString('base64')}`;
  }
  const response = await fetch(`${idp.issuer}/connect/${endpoint}`, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

export interface SignedInCode extends FormPost {
  code: string;
  verifier: string;
  nonce: string;
  state: string;
  agent: UserAgent;
}

/** Signs alice (or another user) in and returns the front-channel response, with the PKCE verifier. */
export async function signInForCode(
  idp: Pick<TestIdp, 'issuer'>,
  options: {
    client?: SeededHybridClient;
    user?: { email: string; password: string };
    params?: Record<string, string | undefined>;
    agent?: UserAgent;
  } = {},
): Promise<SignedInCode> {
  const client = options.client ?? offlineClient;
  const agent = options.agent ?? new UserAgent();
  const { verifier, challenge } = pkce();
  const nonce = randomBytes(12).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const url = authorizationUrl(idp, client, {
    nonce,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...options.params,
  });
  const { response } = await agent.signIn(url, options.user ?? alice);
  const code = response.fields.code;
  if (!code) throw new Error(`no code in the authorization response: ${JSON.stringify(response.fields)}`);
  return { ...response, code, verifier, nonce, state, agent };
}

/** Redeems a code at the token endpoint, authenticated as the client (or as someone else, to test that). */
export function redeemCode(
  idp: Pick<TestIdp, 'issuer'>,
  front: Pick<SignedInCode, 'code' | 'verifier'>,
  client: SeededHybridClient,
  auth: { id: string; secret: string; method?: 'basic' | 'post' } = client,
): Promise<TokenCall> {
  return tokenRequest(
    idp,
    {
      grant_type: 'authorization_code',
      code: front.code,
      redirect_uri: client.redirectUri,
      code_verifier: front.verifier,
    },
    auth,
  );
}

/** Signs in and redeems the code: the tokens a hybrid client holds after a complete sign-in. */
export async function signInForTokens(
  idp: Pick<TestIdp, 'issuer'>,
  options: Parameters<typeof signInForCode>[1] & { method?: 'basic' | 'post' } = {},
) {
  const client = options.client ?? offlineClient;
  const front = await signInForCode(idp, options);
  const tokens = await redeemCode(idp, front, client, { ...client, method: options.method ?? 'basic' });
  if (tokens.status !== 200) throw new Error(`code exchange failed: ${JSON.stringify(tokens.body)}`);
  return {
    front,
    tokens: tokens.body as {
      access_token: string;
      id_token: string;
      refresh_token?: string;
      expires_in: number;
      scope: string;
    },
  };
}

export async function callApi(
  url: string,
  accessToken?: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** OIDC Core 3.3.2.11: the left half of the SHA-256 of a code or access token, base64url (computed apart from the mock). */
export const halfHashOf = (value: string): string =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
