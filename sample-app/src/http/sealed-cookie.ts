/**
 * A value the app gives the browser to bring back, which the browser can neither read nor alter: encrypted and
 * authenticated (JWE, dir + A256GCM) with a key derived from the session secret for one purpose, and expiring.
 */
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

export class SealedCookie<T extends object> {
  readonly #key: Uint8Array;

  /** `purpose` keeps the keys of different cookies apart. */
  constructor(sessionSecret: string, purpose: string) {
    this.#key = new Uint8Array(hkdfSync('sha256', sessionSecret, 'hybrid-client-kit', purpose, 32));
  }

  seal(value: T, lifetimeSeconds: number): Promise<string> {
    return new EncryptJWT({ ...(value as Record<string, unknown>) })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .encrypt(this.#key);
  }

  /** The value, or null when the cookie is not one of ours, was altered, or has expired. */
  async open(sealed: string): Promise<T | null> {
    try {
      const { payload } = await jwtDecrypt(sealed, this.#key);
      return payload as unknown as T;
    } catch {
      return null;
    }
  }
}
