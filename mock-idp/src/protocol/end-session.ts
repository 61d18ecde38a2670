/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), with the Data Hub rule: the user is signed out,
 * but is sent to `post_logout_redirect_uri` only when a valid `id_token_hint` names the client and the URI is one
 * of that client's Allowed Logout Redirect URLs, exactly. Otherwise a "signed out" page, and no redirect.
 * A hint for another user than the one signed in is IdentityServer4's "Current user does not match identity
 * token" (EndSessionRequestValidator): nobody is redirected, and the user signed in is asked before being signed
 * out, as IdentityServer's logout page asks when the request names no client.
 */
import { compactVerify } from 'jose';
import type { IdpContext } from '../context.ts';
import { isRegisteredUri } from '../domain/hybrid-client-rules.ts';
import type { HybridClient } from '../domain/model.ts';
import { clientFor } from './clients.ts';
import { lenientParameter, type Params } from './parameters.ts';
import { currentSession, endSignOnSession } from './sign-in.ts';

export type EndSessionOutcome =
  | {
      kind: 'signed-out';
      /** Where to send the browser, with `state`; null to show the signed-out page. */
      redirectTo: string | null;
      /** The client the id_token_hint names, when it is valid: its name is shown on the signed-out page. */
      client: HybridClient | null;
    }
  /** The hint names another user than the one signed in, who stays signed in until they say otherwise. */
  | { kind: 'ask-first'; signedInAs: string };

export async function endSession(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'keys' | 'store'>,
  params: Params,
  sessionId: string | undefined,
): Promise<EndSessionOutcome> {
  const text = (name: string) => lenientParameter(params, name);
  const hint = await idTokenHint(ctx, text('id_token_hint'));
  const signedIn = currentSession(ctx, sessionId);
  if (signedIn && hint?.subject !== undefined && hint.subject !== signedIn.user.id) {
    return { kind: 'ask-first', signedInAs: signedIn.user.email };
  }
  endSignOnSession(ctx, sessionId);
  return { kind: 'signed-out', ...redirectFor(hint?.client ?? null, text) };
}

function redirectFor(client: HybridClient | null, text: (name: string) => string | undefined) {
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
 * happens long after sign-in, and the signature alone proves which client and user it was for.
 */
async function idTokenHint(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'keys' | 'store'>,
  hint: string | undefined,
): Promise<{ client: HybridClient; subject: string | undefined } | null> {
  if (!hint) return null;
  let claims: { iss?: unknown; aud?: unknown; sub?: unknown };
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
  if (client?.kind !== 'hybrid') return null;
  return { client, subject: typeof claims.sub === 'string' ? claims.sub : undefined };
}
