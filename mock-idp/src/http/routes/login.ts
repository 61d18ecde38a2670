/** The login page: email and password for the seeded users, bound to the browser that started the sign-in. */
import { type Request, type Response, Router } from 'express';
import type { IdpContext } from '../../context.ts';
import type { HybridClient } from '../../domain/model.ts';
import { errorResponse, successfulResponse, targetOf } from '../../protocol/authorization-response.ts';
import { clientFor } from '../../protocol/clients.ts';
import { endpointPaths } from '../../protocol/discovery.ts';
import { OAuthError } from '../../protocol/errors.ts';
import { ofClientTenant, signInWithPassword, ssoSessionLifetimeMs } from '../../protocol/sign-in.ts';
import type { Interaction } from '../../store/records.ts';
import {
  clearCookie,
  cookieOptions,
  interactionCookieName,
  readCookie,
  sessionCookieName,
} from '../cookies.ts';
import { formBody } from '../form-body.ts';
import { deliverAuthorizationResponse, noStore, pageErrors } from '../responses.ts';

const expired = new OAuthError(
  'invalid_request',
  'this sign-in has expired or was started in another browser: go back to the application and sign in again',
);

export function loginRouter(ctx: IdpContext): Router {
  const router = Router();

  function pendingSignIn(
    req: Request,
    interactionId: unknown,
  ): { interaction: Interaction; client: HybridClient } {
    const interaction =
      typeof interactionId === 'string' ? ctx.store.interactions.get(interactionId) : undefined;
    if (
      !interaction ||
      interaction.expiresAt <= ctx.clock.now() ||
      readCookie(req, interactionCookieName(interaction.id)) !== interaction.browserBinding
    ) {
      throw expired;
    }
    const client = clientFor(ctx, interaction.request.clientId, 'sign-in');
    if (client?.kind !== 'hybrid' || !client.enabled) throw expired;
    return { interaction, client };
  }

  function showForm(
    res: Response,
    interaction: Interaction,
    client: HybridClient,
    email: string,
    refusal?: { message: string; status: number; retryAfterSeconds?: number },
  ) {
    noStore(res);
    if (refusal?.retryAfterSeconds) res.set('Retry-After', String(refusal.retryAfterSeconds));
    res.status(refusal?.status === 429 ? 429 : 200).render('login', {
      action: ctx.authority + endpointPaths.login,
      interaction: interaction.id,
      clientName: client.name,
      tenantName: ctx.store.tenants.get(client.tenantId)?.name ?? client.tenantId,
      email,
      message: refusal?.message ?? '',
    });
  }

  function finish(res: Response, interaction: Interaction): void {
    ctx.store.interactions.delete(interaction.id);
    clearCookie(res, ctx.authority, interactionCookieName(interaction.id));
  }

  router.get(endpointPaths.login, (req, res) => {
    const { interaction, client } = pendingSignIn(req, req.query.interaction);
    showForm(res, interaction, client, interaction.request.loginHint ?? '');
  });

  router.post(endpointPaths.login, formBody, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { interaction, client } = pendingSignIn(req, body.interaction);
    const { request } = interaction;
    if (body.action === 'cancel') {
      finish(res, interaction);
      const denied = new OAuthError('access_denied', 'the user cancelled the sign-in');
      return deliverAuthorizationResponse(res, errorResponse(ctx, targetOf(request), denied));
    }
    const email = typeof body.email === 'string' ? body.email.slice(0, 256) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const result = await signInWithPassword(ctx, email, password, ofClientTenant(client));
    // The same form sent twice: the first one to get here completes the sign-in, the other is told so.
    pendingSignIn(req, body.interaction);
    if (!result.ok) return showForm(res, interaction, client, email, result);

    const previous = readCookie(req, sessionCookieName);
    if (previous) ctx.store.sessions.delete(previous);
    res.cookie(
      sessionCookieName,
      result.signedIn.session.id,
      cookieOptions(ctx.authority, ssoSessionLifetimeMs),
    );
    finish(res, interaction);
    deliverAuthorizationResponse(res, await successfulResponse(ctx, request, client, result.signedIn));
  });

  router.use(endpointPaths.login, pageErrors);
  return router;
}
