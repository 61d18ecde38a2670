/**
 * Before anything runs, in both modes: the identity server answers its discovery document, the document is well
 * formed and names the issuer given, and the client authenticates; in the OP mode the test user (when given) also
 * signs in. One wrong setting would otherwise fail every spec or module with the same cause buried in each; here it
 * is one line naming the cause and the flag to set, and nothing else runs. The RP mode adds its own checks of the
 * app (rp/plan.ts). The flags named are the same in both modes.
 */
import { authorizationUrl, pkce, tokenRequest } from '../../harness/hybrid-flow.ts';
import { UserAgent } from '../../harness/user-agent.ts';

export class PreflightFailed extends Error {}

export interface PreflightSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  user: { email: string; password: string } | null;
}

const timeoutMs = 10_000;
const requiredMetadata = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/** Resolves when the target is fit to run the suite against; throws PreflightFailed with one line otherwise. */
export async function opPreflight(settings: PreflightSettings): Promise<void> {
  const issuer = settings.issuer.replace(/\/$/, '');
  await checkDiscovery(issuer);
  const client = { id: settings.clientId, secret: settings.clientSecret, redirectUri: settings.redirectUri };
  const code = settings.user ? await signInCode(issuer, client, settings.user) : null;
  await checkClientCredentials(issuer, client, code);
}

/**
 * The client authenticates at the token endpoint: with a code the test user's sign-in got, which must also be
 * redeemed; without one, a made-up code tells the same, for a server authenticates the client before it reads the
 * grant (RFC 6749 §3.2.1): a refused secret is invalid_client, an accepted one invalid_grant.
 */
export async function checkClientCredentials(
  issuer: string,
  client: { id: string; secret: string; redirectUri: string },
  code: { code: string; verifier: string } | null,
): Promise<void> {
  const answer = await tokenRequest(
    { issuer },
    {
      grant_type: 'authorization_code',
      code: code?.code ?? 'conformance-preflight-not-a-code',
      redirect_uri: client.redirectUri,
      code_verifier: code?.verifier ?? pkce().verifier,
    },
    client,
  ).catch((error: Error) => {
    throw new PreflightFailed(`the token endpoint of ${issuer} did not answer (${error.message})`);
  });
  const error = typeof answer.body.error === 'string' ? answer.body.error : null;
  if (error === 'invalid_client' || answer.status === 401)
    throw new PreflightFailed(
      `the identity server refused the client's credentials (${error ?? `HTTP ${answer.status}`}): check --client-id and --client-secret`,
    );
  if (code && answer.status !== 200)
    throw new PreflightFailed(
      `the identity server would not redeem the test user's code (${error ?? `HTTP ${answer.status}`}): check --redirect-uri, one of the client's redirect URLs`,
    );
}

export async function checkDiscovery(issuer: string): Promise<void> {
  const url = `${issuer}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
    const cause = (error.cause as Error | undefined)?.message ?? error.message;
    throw new PreflightFailed(`cannot reach the identity server at ${url} (${cause}): check --issuer`);
  });
  if (!response.ok)
    throw new PreflightFailed(
      `${url} answered HTTP ${response.status}, not a discovery document: check --issuer (the issuer, without /.well-known)`,
    );
  const document = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!document || typeof document !== 'object')
    throw new PreflightFailed(`${url} did not answer JSON: check --issuer`);
  const missing = requiredMetadata.filter((name) => typeof document[name] !== 'string');
  if (missing.length > 0)
    throw new PreflightFailed(`the discovery document at ${url} lacks ${missing.join(', ')}`);
  const announced = String(document.issuer).replace(/\/$/, '');
  if (announced !== issuer)
    throw new PreflightFailed(
      `the identity server announces the issuer ${document.issuer}, not ${issuer}: give --issuer ${document.issuer} if that is the server you mean`,
    );
}

/** Signs the test user in through the login page, for a code of the client. */
async function signInCode(
  issuer: string,
  client: { id: string; redirectUri: string },
  user: { email: string; password: string },
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const agent = new UserAgent();
  const url = authorizationUrl({ issuer }, client, {
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const signIn = await agent.signIn(url, user).catch((error: Error) => {
    throw new PreflightFailed(
      `the sign-in at ${issuer} did not come back with a code (${error.message.split('\n')[0]?.slice(0, 160)}): check --client-id and --redirect-uri`,
    );
  });
  const code = signIn.response.fields.code;
  if (code) return { code, verifier };
  if (signIn.loginShown && signIn.last.body.includes('name="password"'))
    throw new PreflightFailed(
      `the test user ${user.email} could not sign in: check --user-email and --user-password`,
    );
  throw new PreflightFailed(
    `the sign-in at ${issuer} came back without a code (${signIn.response.fields.error ?? 'no error given'}): check --client-id and --redirect-uri`,
  );
}
