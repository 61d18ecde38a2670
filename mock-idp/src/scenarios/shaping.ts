/**
 * The one place scenarios act: every response a scenario may change is made through `shapeReply` (the JSON
 * endpoints) or `shapeAuthorizationResponse` (the response the browser carries to the app). A failure or a delay
 * acts before the response is made (nothing is done that the answer hides); a forgery acts on the response the
 * mock made, so only the changed part differs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { epochSeconds } from '../clock.ts';
import type { IdpContext } from '../context.ts';
import type { AuthorizationResponse } from '../protocol/authorization-response.ts';
import type { ForgeryFacts, ResponsePoint } from './catalogue.ts';
import { forgeIdToken, strangerId } from './forged-tokens.ts';
import type { ActiveScenario, ResponseAudience } from './scenario-book.ts';

type ShapingContext = Pick<IdpContext, 'clock' | 'issuer' | 'keys' | 'scenarios' | 'store'>;

/** A response of a JSON endpoint, before it is sent. */
export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What is sent: JSON, or (a failure) a body as it is. */
export type Reply = JsonReply | { status: number; raw: string; contentType: string };

export interface Shaped<T> {
  reply: T;
  /** The scenario that changed it, if one did. */
  scenario: string | null;
}

/** A JSON endpoint's response, for the client (and user) it answers; null: discovery and JWKS, which name none. */
export async function shapeReply(
  ctx: ShapingContext,
  point: ResponsePoint,
  audience: ResponseAudience | null,
  produce: () => Promise<JsonReply> | JsonReply,
): Promise<Shaped<Reply>> {
  const active = ctx.scenarios.next(point, audience);
  if (!active) return { reply: await produce(), scenario: null };
  const { effect } = active.definition;
  const applied = (reply: Reply) => ({ reply, scenario: active.scenario.name });

  switch (effect.kind) {
    case 'oauth-error':
      if (!ctx.scenarios.use(active)) break;
      return applied({
        status: effect.status,
        body: { error: effect.error, error_description: effect.description },
        ...(effect.bearerChallenge && {
          headers: {
            'WWW-Authenticate': `Bearer error="${effect.error}", error_description="${effect.description}"`,
          },
        }),
      });
    case 'http-failure':
      if (!ctx.scenarios.use(active)) break;
      return applied({ status: effect.status, raw: effect.body, contentType: effect.contentType });
    case 'delay':
      if (!ctx.scenarios.use(active)) break;
      await sleep((active.scenario.seconds ?? 0) * 1000);
      return applied(await produce());
    case 'forge-id-token': {
      const reply = await produce();
      const idToken = reply.body.id_token;
      if (typeof idToken !== 'string' || !ctx.scenarios.use(active)) return { reply, scenario: null };
      const forged = await forgeIdToken(idToken, effect, facts(ctx, active), signers(ctx, active));
      return applied({ ...reply, body: { ...reply.body, id_token: forged } });
    }
    case 'change-body': {
      const reply = await produce();
      if (!ctx.scenarios.use(active)) return { reply, scenario: null };
      const body = { ...reply.body };
      effect.change(body, facts(ctx, active));
      return applied({ ...reply, body });
    }
    case 'change-parameters':
      break;
  }
  return { reply: await produce(), scenario: null };
}

/** A successful authorization response, before the browser carries it to the client's redirect URI. */
export async function shapeAuthorizationResponse(
  ctx: ShapingContext,
  audience: ResponseAudience,
  response: AuthorizationResponse,
): Promise<Shaped<AuthorizationResponse>> {
  const active = ctx.scenarios.next('authorization', audience);
  if (!active || !ctx.scenarios.use(active)) return { reply: response, scenario: null };
  const { effect } = active.definition;
  const params = { ...response.params };
  switch (effect.kind) {
    case 'forge-id-token':
      if (params.id_token)
        params.id_token = await forgeIdToken(
          params.id_token,
          effect,
          facts(ctx, active),
          signers(ctx, active),
        );
      break;
    case 'change-parameters':
      effect.change(params, facts(ctx, active));
      break;
    case 'oauth-error':
      // The error replaces the code and tokens; state and iss go back as with any authorization response.
      return {
        reply: {
          target: response.target,
          params: {
            error: effect.error,
            error_description: effect.description,
            ...(params.state !== undefined && { state: params.state }),
            ...(params.iss !== undefined && { iss: params.iss }),
          },
        },
        scenario: active.scenario.name,
      };
    default:
      throw new Error(`${active.scenario.name} cannot act on an authorization response`);
  }
  return { reply: { target: response.target, params }, scenario: active.scenario.name };
}

function facts(ctx: ShapingContext, active: ActiveScenario): ForgeryFacts {
  const clientTenant = ctx.store.clients.get(active.scenario.clientId)?.tenantId;
  const otherTenant = ctx.store.tenants.values().find((tenant) => tenant.id !== clientTenant);
  return {
    issuer: ctx.issuer,
    otherClientId: strangerId(),
    otherTenantId: otherTenant?.id ?? strangerId(),
    otherSubject: strangerId(),
    now: epochSeconds(ctx.clock),
  };
}

const signers = (ctx: ShapingContext, active: ActiveScenario) => ({
  server: ctx.keys.currentSigningKey(),
  scenarioKey: active.key,
  clientSecret: active.clientSecret,
});
