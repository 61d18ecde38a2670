/** Reading request parameters: each may appear at most once (RFC 6749 section 3.1). */
import { OAuthError } from './errors.ts';

export type Params = Record<string, unknown>;

export function singleParameter(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new OAuthError('invalid_request', `the ${name} parameter must appear once`);
  return value;
}

export function requiredParameter(params: Params, name: string): string {
  const value = singleParameter(params, name);
  if (!value) throw new OAuthError('invalid_request', `the ${name} parameter is required`);
  return value;
}

/** For answers that must not fail (error responses, logout): a repeated parameter counts as absent. */
export const lenientParameter = (params: Params, name: string): string | undefined =>
  typeof params[name] === 'string' ? params[name] : undefined;
