/**
 * A completed sign-in's authorization response on its way to the app, whether the user signed in just now (the
 * login page) or already was (the authorize endpoint): the one place a test scenario can change it.
 */
import type { Response } from 'express';
import type { IdpContext } from '../../context.ts';
import type { AuthorizationResponse } from '../../protocol/authorization-response.ts';
import { shapeAuthorizationResponse } from '../../scenarios/shaping.ts';
import { deliverAuthorizationResponse } from '../responses.ts';

export async function deliverSignIn(
  ctx: IdpContext,
  res: Response,
  clientId: string,
  response: AuthorizationResponse,
): Promise<void> {
  const { reply, scenario } = await shapeAuthorizationResponse(ctx, clientId, response);
  if (scenario) res.locals.scenario = scenario;
  deliverAuthorizationResponse(res, reply);
}
