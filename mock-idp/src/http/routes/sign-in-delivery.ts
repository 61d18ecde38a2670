/**
 * A completed sign-in's authorization response on its way to the app, whether the user signed in just now (the
 * login page) or already was (the authorize endpoint): the one place a test scenario can change it.
 */
import type { Response } from 'express';
import type { IdpContext } from '../../context.ts';
import type { AuthorizationResponse } from '../../protocol/authorization-response.ts';
import type { ResponseAudience } from '../../scenarios/scenario-book.ts';
import { shapeAuthorizationResponse } from '../../scenarios/shaping.ts';
import { deliverAuthorizationResponse } from '../responses.ts';

export async function deliverSignIn(
  ctx: IdpContext,
  res: Response,
  audience: ResponseAudience,
  response: AuthorizationResponse,
): Promise<void> {
  res.locals.clientId = audience.clientId;
  res.locals.userId = audience.userId;
  const { reply, scenario } = await shapeAuthorizationResponse(ctx, audience, response);
  if (scenario) res.locals.scenario = scenario;
  deliverAuthorizationResponse(res, reply);
}
