/** The flows the benchmarks and the load run repeat, built from the specs' plain-HTTP browser and helpers. */

import type { SeededHybridClient } from '../harness/index.ts';
import { authorizationUrl, pkce, signInForCode, tokenRequest, UserAgent } from '../harness/index.ts';
import type { Latencies } from './measure.ts';

type Issuer = { issuer: string };
export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token: string;
}

/** A browser with a sign-on session at the identity server: later logins skip the login page. */
export async function browserWithSignOn(
  idp: Issuer,
  client: SeededHybridClient,
  user: { email: string; password: string },
): Promise<UserAgent> {
  const { agent } = await signInForCode(idp, { client, user });
  return agent;
}

/** One complete hybrid login: authorize (existing sign-on) -> form_post page -> code exchange. */
export async function hybridLogin(
  idp: Issuer,
  agent: UserAgent,
  client: SeededHybridClient,
  tokenEndpoint: Latencies,
  scope = 'openid profile email ocsapi offline_access',
): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const front = await agent.request(
    authorizationUrl(idp, client, { scope, code_challenge: challenge, code_challenge_method: 'S256' }),
  );
  const code = UserAgent.authorizationResponse(front).fields.code;
  if (!code) throw new Error(`no code: HTTP ${front.response.status}`);
  const grant = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    code_verifier: verifier,
  };
  const answer = await tokenEndpoint.time(() => tokenRequest(idp, grant, client));
  if (answer.status !== 200)
    throw new Error(`code exchange: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as unknown as Tokens;
}

/** One refresh grant; returns the next refresh token (they are one-time use). */
export async function refreshGrant(
  idp: Issuer,
  client: SeededHybridClient,
  refreshToken: string,
  tokenEndpoint: Latencies,
): Promise<string> {
  const answer = await tokenEndpoint.time(() =>
    tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: refreshToken }, client),
  );
  const next = answer.body.refresh_token;
  if (answer.status !== 200 || typeof next !== 'string')
    throw new Error(`refresh: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return next;
}
