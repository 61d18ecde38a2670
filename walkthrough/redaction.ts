/**
 * How the walkthrough shows a value that must not be shown: a code, a token, a secret or a PKCE verifier appears
 * as a short fingerprint, enough to see that two values are the same or differ, never enough to use one. The
 * fingerprint is keyed (HMAC-SHA-256), and shows no length: a plain hash of a client secret, with its length, would
 * let whoever sees the page confirm a guessed secret offline. JWTs are shown decoded, their signature left out.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
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

/** The fingerprints' key: random for the process, until the app derives it from its session secret. */
let fingerprintKey: Buffer = randomBytes(32);

/**
 * Keys the fingerprints with the session secret, which every instance of the app shares: a value fingerprinted by
 * one instance matches the same value fingerprinted by another, and by nobody who lacks the secret.
 */
export function keyFingerprints(sessionSecret: string): void {
  fingerprintKey = Buffer.from(
    hkdfSync('sha256', sessionSecret, '', 'sample-app walkthrough fingerprints', 32),
  );
}

/** "‹fingerprint 1a2b3c4d›": the same value always gives the same fingerprint. */
export function fingerprint(value: string): string {
  const digest = createHmac('sha256', fingerprintKey).update(value).digest('hex').slice(0, 8);
  return `‹fingerprint ${digest}›`;
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
