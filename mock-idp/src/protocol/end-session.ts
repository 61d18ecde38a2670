/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), with the Data Hub rule: the user is always signed
 * out, but is sent to `post_logout_redirect_uri` only when a valid `id_token_hint` names the client and the URI is
 * one of that client's Allowed Logout Redirect URLs, exactly. Otherwise a "signed out" page, and no redirect.
 */
import { compactVerify } from 'jose';
import type { IdpContext } from '../context.ts';
import { isRegisteredUri } from '../domain/hybrid-client-rules.ts';
import type { HybridClient } from '../domain/model.ts';
import { clientFor } from './clients.ts';
import { lenientParameter, type Params } from './parameters.ts';
import { endSignOnSession } from './sign-in.ts';

export interface EndSessionOutcome {
  /** Where to send the browser, with `state`; null to show the signed-out page. */
  redirectTo: string | null;
  /** The client the id_token_hint names, when it is valid: its name is shown on the signed-out page. */
  client: HybridClient | null;
}

export async function endSession(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'keys' | 'store'>,
  params: Params,
  sessionId: string | undefined,
): Promise<EndSessionOutcome> {
  endSignOnSession(ctx, sessionId);

  const text = (name: string) => lenientParameter(params, name);
  const client = await clientFromIdTokenHint(ctx, text('id_token_hint'));
  const requestedClientId = text('client_id');
  if (!client || (requestedClientId !== undefined && requestedClientId !== client.id)) {
    return { redirectTo: null, client: null };
  }
  const target = text('post_logout_redirect_uri');
  if (!target || !isRegisteredUri(client.postLogoutRedirectUris, target)) return { redirectTo: null, client };
  const url = new URL(target);
  const state = text('state');
  if (state !== undefined) url.searchParams.append('state', state);
  return { redirectTo: url.href, client };
}

/**
 * The hint must be an id_token this server signed for a hybrid client. It may have expired: logout often
 * happens long after sign-in, and the signature alone proves which client the user signed in to.
 */
async function clientFromIdTokenHint(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'keys' | 'store'>,
  hint: string | undefined,
): Promise<HybridClient | null> {
  if (!hint) return null;
  let claims: { iss?: unknown; aud?: unknown };
  try {
    const { payload, protectedHeader } = await compactVerify(hint, ctx.keys.verificationKeys, {
      algorithms: ['RS256'],
    });
    if (protectedHeader.typ !== undefined && protectedHeader.typ !== 'JWT') return null;
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  if (claims.iss !== ctx.issuer || typeof claims.aud !== 'string') return null;
  const client = clientFor(ctx, claims.aud);
  return client?.kind === 'hybrid' ? client : null;
}
