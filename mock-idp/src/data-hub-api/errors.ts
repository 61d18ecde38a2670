/** Errors of the Data Hub REST API: an HTTP status and a body of OperationId, Error, Reason and Resolution. */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Conflict, NotFound } from '../domain/client-administration.ts';
import { ClientRuleError } from '../domain/hybrid-clients.ts';
import { bearerChallenge } from '../protocol/access-tokens.ts';
import { OAuthError } from '../protocol/errors.ts';

export class DataHubError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly resolution: string,
  ) {
    super(reason);
  }
}

export const invalidRequest = (reason: string) =>
  new DataHubError(400, 'The request is not valid.', reason, 'Correct the request and try again.');

/** Field names in the API are PascalCase: accessTokenLifetime is AccessTokenLifetime. */
const apiName = (field: string) => field.charAt(0).toUpperCase() + field.slice(1);

function asDataHubError(error: unknown): DataHubError {
  if (error instanceof DataHubError) return error;
  if (error instanceof ClientRuleError) {
    return invalidRequest(
      error.problems
        .map((problem) => (problem.field ? `${apiName(problem.field)}: ${problem.message}` : problem.message))
        .join('; '),
    );
  }
  if (error instanceof NotFound) {
    return new DataHubError(
      404,
      'Not found.',
      `There is no ${error.what} ${error.id}.`,
      `Check the ${error.what} id.`,
    );
  }
  if (error instanceof Conflict) {
    return new DataHubError(
      409,
      'Conflict.',
      error.message,
      'Use another id, or update the existing client.',
    );
  }
  if (error instanceof OAuthError && (error.status === 401 || error.status === 403)) {
    return new DataHubError(
      error.status,
      error.status === 401 ? 'Unauthorized' : 'Forbidden',
      error.description,
      error.status === 401
        ? 'Call the API with a valid, unexpired access token, asked for with the ocsapi scope.'
        : 'Use a token of this tenant, of a user or client holding the role the operation needs.',
    );
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return invalidRequest(
      status === 413 ? 'The request body is too large.' : 'The request body could not be read.',
    );
  }
  console.error('mock-idp: unexpected error in the Data Hub API', error);
  return new DataHubError(500, 'Internal error.', 'The request could not be completed.', 'Try again later.');
}

export function dataHubErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const failure = asDataHubError(error);
  if (error instanceof OAuthError) res.set('WWW-Authenticate', bearerChallenge(error));
  res.status(failure.status).json({
    OperationId: randomUUID(),
    Error: failure.error,
    Reason: failure.reason,
    Resolution: failure.resolution,
  });
}
