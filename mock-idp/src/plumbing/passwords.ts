/**
 * User passwords are kept as salted scrypt hashes and verified in constant time. Verification runs on libuv's
 * thread pool: scrypt takes tens of milliseconds by design, and must not stop the event loop meanwhile. Only as
 * many run at once as half the cores (and never more than half of libuv's four threads), so a burst of sign-ins
 * leaves CPU for the event loop and pool threads for the state journal's disk writes, which responses wait for.
 */
import { randomBytes, type ScryptOptions, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

export const passwordChecksAtOnce = Math.min(2, Math.max(1, Math.floor(availableParallelism() / 2)));
const passwordChecks = pLimit(passwordChecksAtOnce);
/**
 * How many checks may wait: beyond it a sign-in is answered "busy" at once, so a flood of wrong passwords cannot
 * keep a right one waiting for seconds (at a few ms a check, two at a time, the last in line waits well under a
 * second).
 */
export const maxWaitingChecks = 128;

/** Too many password checks are waiting: the caller should answer 429 and let the user try again shortly. */
export class PasswordChecksBusy extends Error {}

const keyLength = 32;
/**
 * scrypt's N. A mock's passwords guard seeded demo accounts, not real ones: N = 2^10 (1 MiB, about 3 ms a check
 * here) keeps them hashed, never stored in clear, while a burst of sign-ins (a load test, a browser suite) runs at
 * hundreds per second instead of waiting behind 50 ms checks. A production identity server would choose 2^15 or
 * more. Hashes carry their N, so hashes made with another cost still verify.
 */
const cost = 1024;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, keyLength, { N: cost });
  return `scrypt$${cost}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const scryptAsync = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (passwordChecks.pendingCount >= maxWaitingChecks)
    throw new PasswordChecksBusy('too many password checks waiting');
  const actual = await passwordChecks(() =>
    scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n) }),
  );
  return timingSafeEqual(actual, expected);
}

/** Compared against when the email is unknown, so a wrong email costs as much time as a wrong password. */
export const unknownUserHash = hashPassword(randomBytes(16).toString('hex'));
