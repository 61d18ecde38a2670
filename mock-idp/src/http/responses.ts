/**
 * How errors and results leave the server: JSON with `error` and `error_description` on the back channel
 * (RFC 6749 5.2), a readable page in the browser, and the authorization response by form_post or fragment.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AuthorizationResponse } from '../protocol/authorization-response.ts';
import { OAuthError } from '../protocol/errors.ts';
import type { Reply, Shaped } from '../scenarios/shaping.ts';
import { formPostContentSecurityPolicy } from './security-headers.ts';

export function noStore(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** Errors that carry an HTTP 4xx status (malformed bodies, bodies too large, bad URLs) keep it; others are ours. */
export function asOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const description =
      status === 413
        ? 'the request body is too large'
        : status === 404
          ? 'not found'
          : 'the request could not be read';
    return new OAuthError('invalid_request', description, status);
  }
  console.error('mock-idp: unexpected error', error);
  return new OAuthError('server_error', 'the identity server could not complete the request', 500);
}

/**
 * An error as JSON. IdentityServer's token and revocation endpoints answer with the code alone (TokenErrorResult,
 * TokenRevocationErrorResult); the description then goes to the request log only.
 */
export function sendJsonError(res: Response, error: OAuthError, { describe = true } = {}): void {
  noStore(res);
  res.locals.errorCode = error.code;
  res.locals.errorDescription = error.description;
  res.status(error.status).json(describe ? error.toJSON() : { error: error.code });
}

export function renderErrorPage(res: Response, error: OAuthError): void {
  noStore(res);
  res.locals.errorCode = error.code;
  res.status(error.status).render('error', { error: error.code, description: error.description });
}

/** Error middleware for back-channel routers. */
export function jsonErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  sendJsonError(res, asOAuthError(error));
}

/** Error middleware for routers a browser visits. */
export function pageErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  renderErrorPage(res, asOAuthError(error));
}

export function deliverAuthorizationResponse(res: Response, { target, params }: AuthorizationResponse): void {
  noStore(res);
  if (params.error) res.locals.errorCode = params.error;
  if (target.responseMode === 'fragment') {
    res.redirect(303, `${target.redirectUri}#${new URLSearchParams(params)}`);
    return;
  }
  res.set('Content-Security-Policy', formPostContentSecurityPolicy(res.locals.cspNonce as string));
  res.removeHeader('X-Frame-Options');
  res.render('form-post', { action: target.redirectUri, params: Object.entries(params) });
}

export function requestParams(req: Request): Record<string, unknown> {
  return req.method === 'POST'
    ? ((req.body as Record<string, unknown> | undefined) ?? {})
    : (req.query as Record<string, unknown>);
}

/** Sends a JSON endpoint's response, as a scenario may have shaped it. */
export function sendReply(res: Response, { reply, scenario }: Shaped<Reply>): void {
  if (scenario) res.locals.scenario = scenario;
  res.status(reply.status);
  if ('raw' in reply) {
    res.type(reply.contentType).send(reply.raw);
    return;
  }
  if (reply.headers) res.set(reply.headers);
  if (typeof reply.body.error === 'string') res.locals.errorCode = reply.body.error;
  res.json(reply.body);
}
