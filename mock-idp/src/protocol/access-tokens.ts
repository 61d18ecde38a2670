/** Verifies the bearer access tokens this server issued (RFC 6750 for how they arrive, RFC 9068 for the JWT). */
import { errors, type JWTPayload, jwtVerify } from 'jose';
import type { IdpContext } from '../context.ts';
import { OAuthError } from './errors.ts';

export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  tid: string;
  /** A JSON array, as IdentityServer4 writes it; a space-delimited string is read too. */
  scope: string[] | string;
  jti: string;
  sub?: string;
  role_type?: string[] | string;
}

const invalidToken = (description: string) => new OAuthError('invalid_token', description, 401);

export function bearerTokenFrom(authorization: string | undefined): string {
  if (!authorization) throw invalidToken('an access token is required (Authorization: Bearer ...)');
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!match?.[1]) throw invalidToken('the Authorization header must hold a Bearer token');
  return match[1];
}

/**
 * The access token of a UserInfo request: in the Authorization header, or else in a form body's access_token field
 * (RFC 6750 2.2), as IdentityServer4's BearerTokenUsageValidator reads it (the header first).
 */
export function userInfoAccessToken(authorization: string | undefined, form: unknown): string {
  const fromForm = (form as Record<string, unknown> | undefined)?.access_token;
  if (!authorization && typeof fromForm === 'string' && fromForm.length > 0) return fromForm;
  return bearerTokenFrom(authorization);
}

export async function verifyAccessToken(
  ctx: Pick<IdpContext, 'clock' | 'issuer' | 'keys'>,
  token: string,
): Promise<AccessTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, ctx.keys.verificationKeys, {
      issuer: ctx.issuer,
      algorithms: ['RS256'],
      typ: 'at+jwt',
      currentDate: new Date(ctx.clock.now()),
      requiredClaims: ['exp', 'iat', 'jti', 'client_id', 'tid', 'scope'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalidToken('the access token has expired');
    throw invalidToken('the access token is not valid');
  }
  // No revocation list: like IdentityServer's JWT access tokens, a valid token is valid until it expires.
  return payload as AccessTokenClaims;
}

/**
 * The scopes an access token was issued with. IdentityServer4 writes them as a JSON array
 * (EmitScopesAsSpaceDelimitedStringInJwt is false by default); RFC 9068 and other servers write one space-delimited
 * string: an API that reads access tokens accepts both.
 */
export const accessTokenScopes = (claims: Pick<AccessTokenClaims, 'scope'>): string[] =>
  Array.isArray(claims.scope)
    ? claims.scope.filter((scope) => typeof scope === 'string')
    : claims.scope.split(' ').filter(Boolean);

/** The WWW-Authenticate challenge for a refused bearer token (RFC 6750 section 3). */
export const bearerChallenge = (error: OAuthError): string =>
  `Bearer error="${error.code}", error_description="${error.description.replaceAll('"', "'")}"`;

export const hasAudience = (claims: JWTPayload, audience: string): boolean =>
  Array.isArray(claims.aud) ? claims.aud.includes(audience) : claims.aud === audience;
