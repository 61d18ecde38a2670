/**
 * Writes every request to the identity server's endpoints into the request log once it is answered: which endpoint,
 * which client (as the request names it: Basic credentials, client_id, the access token's client_id, the
 * id_token_hint's audience), the user whose sign-in it belongs to when the route knows it, the status, and the error
 * or scenario the response carried. Credentials are never
 * written, and a client id only when it names a client of this mock: whatever else a caller put there (a secret
 * pasted in the wrong field) stays out of the log.
 */
import type { NextFunction, Request, Response } from 'express';
import { decodeJwt } from 'jose';
import type { IdpContext } from '../context.ts';
import type { LoggedEndpoint } from '../observation/request-log.ts';
import { basicCredentials } from '../protocol/client-authentication.ts';
import { endpointPaths } from '../protocol/discovery.ts';

const endpointsByPath = new Map<string, LoggedEndpoint>([
  [endpointPaths.discovery, 'discovery'],
  [endpointPaths.jwks, 'jwks'],
  [endpointPaths.authorize, 'authorize'],
  [endpointPaths.login, 'login'],
  [endpointPaths.consent, 'consent'],
  [endpointPaths.token, 'token'],
  [endpointPaths.userinfo, 'userinfo'],
  [endpointPaths.revocation, 'revocation'],
  [endpointPaths.endSession, 'end_session'],
]);

/** Mounted under the authority's path: req.path is the endpoint's own path. */
export function requestLogging(ctx: Pick<IdpContext, 'clock' | 'requestLog' | 'store'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const endpoint = endpointsByPath.get(req.path);
    if (endpoint) {
      res.on('finish', () => {
        const fields = paramsOf(req);
        const grantType = endpoint === 'token' ? knownGrantType(fields.grant_type) : undefined;
        // The login page's form names no client: the sign-in it completes says which (sign-in-delivery.ts).
        const named = clientNamed(req, fields) ?? text(res.locals.clientId) ?? null;
        const clientId = named && ctx.store.clients.get(named) ? named : null;
        const authentication =
          endpoint === 'token' || endpoint === 'revocation' ? authenticationOf(req, fields) : undefined;
        ctx.requestLog.add({
          time: new Date(ctx.clock.now()).toISOString(),
          endpoint,
          method: req.method,
          status: res.statusCode,
          clientId,
          ...(clientId && typeof res.locals.userId === 'string' && { userId: res.locals.userId }),
          ...(grantType && { grantType }),
          ...(authentication && { clientAuthentication: authentication }),
          ...(typeof res.locals.errorCode === 'string' && { error: res.locals.errorCode }),
          ...(typeof res.locals.errorDescription === 'string' && {
            errorDescription: res.locals.errorDescription,
          }),
          ...(typeof res.locals.scenario === 'string' && { scenario: res.locals.scenario }),
        });
      });
    }
    next();
  };
}

function paramsOf(req: Request): Record<string, unknown> {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return { ...(req.query as Record<string, unknown>), ...body };
}

const grantTypes = new Set(['authorization_code', 'refresh_token', 'client_credentials']);
const knownGrantType = (value: unknown): string | undefined =>
  typeof value === 'string' && grantTypes.has(value) ? value : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 200 ? value : undefined;

function authenticationOf(
  req: Request,
  fields: Record<string, unknown>,
): 'client_secret_basic' | 'client_secret_post' | undefined {
  if (/^Basic\s/i.test(req.headers.authorization ?? '')) return 'client_secret_basic';
  return typeof fields.client_secret === 'string' ? 'client_secret_post' : undefined;
}

function clientNamed(req: Request, fields: Record<string, unknown>): string | null {
  const authorization = req.headers.authorization ?? '';
  if (/^Basic\s/i.test(authorization)) {
    try {
      return text(basicCredentials(authorization).clientId) ?? null;
    } catch {
      return null;
    }
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const fromToken = (token: string | undefined, claim: 'client_id' | 'aud') => {
    if (!token) return undefined;
    try {
      const value = decodeJwt(token)[claim];
      return text(Array.isArray(value) ? value[0] : value);
    } catch {
      return undefined;
    }
  };
  return (
    text(fields.client_id) ??
    fromToken(bearer, 'client_id') ??
    fromToken(typeof fields.id_token_hint === 'string' ? fields.id_token_hint : undefined, 'aud') ??
    null
  );
}
