/**
 * The peer in the benchmark's run: node-oidc-provider in its own process (peer-server.ts), and the same flows
 * the mock is measured with — a browser with a sign-on session, a hybrid login (authorize → form_post page → code
 * exchange with PKCE and client_secret_basic), a refresh grant.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pkce, type Started, signInAtOidcProvider, startTypeScript, UserAgent } from '../harness/index.ts';
import type { Latencies } from './measure.ts';
import { peerApi, peerClient } from './peer-provider.ts';

export const peerVersion = (
  createRequire(import.meta.url)('oidc-provider/package.json') as { version: string }
).version;

export interface Peer {
  issuer: string;
  /** Its process, whose CPU time the benchmark reads. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startPeer(): Promise<Peer> {
  const process: Started = startTypeScript('bench/peer-server.ts', [], {});
  const [, issuer = ''] = await process.waitFor(/peer: issuer (\S+)/, 30_000);
  return { issuer, pid: process.child.pid, stop: async () => void (await process.stop()) };
}

const basic = `Basic ${Buffer.from(`${peerClient.id}:${peerClient.secret}`).toString('base64')}`;

function authorizationUrl(peer: Peer, challenge: string, extra: Record<string, string> = {}): string {
  return `${peer.issuer}/auth?${new URLSearchParams({
    client_id: peerClient.id,
    redirect_uri: peerClient.redirectUri,
    response_type: 'code id_token',
    response_mode: 'form_post',
    scope: 'openid api',
    resource: peerApi,
    nonce: randomBytes(12).toString('base64url'),
    state: randomBytes(12).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })}`;
}

async function tokenRequest(peer: Peer, form: Record<string, string>) {
  const response = await fetch(`${peer.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs in once through the provider's development pages (login, then consent), leaving a sign-on session. */
export async function peerBrowser(peer: Peer): Promise<UserAgent> {
  const agent = new UserAgent();
  await signInAtOidcProvider(
    agent,
    authorizationUrl(peer, pkce().challenge),
    peerClient.redirectUri,
    'bench-user',
  );
  return agent;
}

/** One hybrid login with the sign-on session; returns the refresh token the exchange issued. */
export async function peerLogin(peer: Peer, agent: UserAgent, tokenEndpoint: Latencies): Promise<string> {
  const { verifier, challenge } = pkce();
  const front = await agent.request(authorizationUrl(peer, challenge));
  const code = UserAgent.authorizationResponse(front).fields.code;
  if (!code) throw new Error(`peer: no code: HTTP ${front.response.status}`);
  const answer = await tokenEndpoint.time(() =>
    tokenRequest(peer, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: peerClient.redirectUri,
      code_verifier: verifier,
      resource: peerApi,
    }),
  );
  if (answer.status !== 200 || typeof answer.body.refresh_token !== 'string')
    throw new Error(`peer code exchange: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.refresh_token;
}

/** One refresh grant; returns the next refresh token. */
export async function peerRefresh(
  peer: Peer,
  refreshToken: string,
  tokenEndpoint: Latencies,
): Promise<string> {
  const answer = await tokenEndpoint.time(() =>
    tokenRequest(peer, { grant_type: 'refresh_token', refresh_token: refreshToken }),
  );
  if (answer.status !== 200 || typeof answer.body.refresh_token !== 'string')
    throw new Error(`peer refresh: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.refresh_token;
}
