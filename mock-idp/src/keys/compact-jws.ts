/**
 * RS256 compact JWS (RFC 7515 §7.1) signed with node:crypto. RSASSA-PKCS1-v1_5 is deterministic and the header
 * and payload are serialised as jose serialises them (JSON.stringify, base64url), so a token is byte for byte the
 * one jose's SignJWT makes with the same key; what changes is the cost. Measured on two cores (see
 * docs/performance.md): jose signs through WebCrypto on libuv's thread pool at about 0.38 ms of CPU a signature;
 * node:crypto on the thread pool costs 0.33 ms, and inline on the calling thread 0.27 ms with no hand-over
 * between threads, but blocks the event loop while it signs.
 */
import { type KeyObject, sign } from 'node:crypto';

/** Inline: on the event loop's thread. Thread pool: on libuv's, so another core signs while the loop serves. */
export type SigningThread = 'inline' | 'thread-pool';

const base64urlJson = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signCompactRs256(
  header: object,
  payload: object,
  key: KeyObject,
  thread: SigningThread,
): Promise<string> {
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  const data = Buffer.from(signingInput);
  if (thread === 'inline') {
    try {
      return Promise.resolve(`${signingInput}.${sign('sha256', data, key).toString('base64url')}`);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) => {
    sign('sha256', data, key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${signingInput}.${signature.toString('base64url')}`);
    });
  });
}
