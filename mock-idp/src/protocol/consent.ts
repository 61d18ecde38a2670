/**
 * Consent, as IdentityServer4 4.x decides it (AuthorizeInteractionResponseGenerator.ProcessConsentAsync and
 * DefaultConsentService): prompt=consent always asks; otherwise only when consent is required (Client.RequireConsent,
 * off by default), and then every time offline_access is asked for, else once. The mock remembers a consent for the
 * sign-on session, where IdentityServer keeps it in its store ("remember my decision").
 */
import type { IdpContext } from '../context.ts';
import { offlineAccessScope } from '../domain/access-rules.ts';
import type { AuthorizationRequest, SsoSession } from '../store/records.ts';

export function consentNeeded(
  ctx: Pick<IdpContext, 'requireConsent'>,
  request: AuthorizationRequest,
  session: SsoSession,
): boolean {
  if (request.prompts.includes('consent')) return true;
  if (!ctx.requireConsent) return false;
  if (request.scopes.includes(offlineAccessScope)) return true;
  return !(session.consentedClients ?? []).includes(request.clientId);
}

export function rememberConsent(ctx: Pick<IdpContext, 'store'>, session: SsoSession, clientId: string): void {
  const consented = new Set([...(session.consentedClients ?? []), clientId]);
  ctx.store.sessions.put({ ...session, consentedClients: [...consented] });
}
