/**
 * How the walkthrough shows a value that must not be shown: a code, a token, a secret or a PKCE verifier appears
 * as a short fingerprint (the start of its SHA-256, and its length), enough to see that two values are the same
 * or differ, never enough to use one. JWTs are shown decoded, their signature left out.
 */
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';

/** Names whose values are credentials, wherever they appear (a form, a JSON response). */
const credentials = new Set([
  'code',
  'code_verifier',
  'client_secret',
  'refresh_token',
  'access_token',
  'id_token',
  'id_token_hint',
  'token',
  'client_assertion',
]);

export const isCredential = (name: string) => credentials.has(name);

/** "sha256 1a2b3c4d…, 43 characters": the same value always gives the same fingerprint. */
export function fingerprint(value: string): string {
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `‹sha256 ${digest}…, ${value.length} characters›`;
}

/** A header or parameter value as the page may show it. */
export function shown(name: string, value: string): string {
  if (isCredential(name)) return fingerprint(value);
  if (name.toLowerCase() === 'authorization') {
    const [scheme = ''] = value.split(' ');
    return `${scheme} ${fingerprint(value.slice(scheme.length + 1))}`;
  }
  return value;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** A JWT's header and claims (its signature is checked by openid-client, not here); null if it is not a JWT. */
export function decodedJwt(value: unknown): DecodedJwt | null {
  if (typeof value !== 'string' || value.split('.').length !== 3) return null;
  try {
    return { header: { ...decodeProtectedHeader(value) }, claims: { ...decodeJwt(value) } };
  } catch {
    return null;
  }
}

/** The client id in an HTTP Basic authorization header (client_secret_basic), the secret left out. */
export function basicClientId(authorization: string | undefined): string | null {
  if (!authorization?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator < 0 ? null : decodeURIComponent(decoded.slice(0, separator));
}
