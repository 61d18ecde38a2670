/** User passwords are kept as salted scrypt hashes and verified in constant time. */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const keyLength = 32;
const cost = 16384;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, keyLength, { N: cost });
  return `scrypt$${cost}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n) });
  return timingSafeEqual(actual, expected);
}

/** Compared against when the email is unknown, so a wrong email costs as much time as a wrong password. */
export const unknownUserHash = hashPassword(randomBytes(16).toString('hex'));
