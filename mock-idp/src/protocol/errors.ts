/** OAuth 2.0 / OpenID Connect errors, carried as exceptions from the rules to the HTTP edge. */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'login_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${code}: ${description}`);
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** Reads one parameter that may appear at most once (RFC 6749 section 3.1: parameters MUST NOT repeat). */
export function singleParameter(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new OAuthError('invalid_request', `the ${name} parameter must appear once`);
  return value;
}

export function requiredParameter(params: Record<string, unknown>, name: string): string {
  const value = singleParameter(params, name);
  if (!value) throw new OAuthError('invalid_request', `the ${name} parameter is required`);
  return value;
}
