/**
 * The RS256 keys the identity server signs with. They live in a key file in the data folder, so tokens issued
 * before a restart still verify after it. The newest key signs; every kept key is published in the JWKS, so a
 * token signed before a rotation still verifies after it.
 */
import { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { writeFileAtomically } from '../plumbing/atomic-files.ts';
import { type SigningThread, signCompactRs256 } from './compact-jws.ts';

const alg = 'RS256';
const publicMembers = ['kty', 'kid', 'use', 'alg', 'n', 'e'] as const;
/** The signing key and the ones before it: tokens live an hour at most, so two old keys cover any rotation pace. */
const keptKeys = 3;

interface KeyFile {
  keys: JWK[];
}

interface KeyRing {
  privateJwks: JWK[];
  jwks: JSONWebKeySet;
  verify: JWTVerifyGetKey;
  current: { kid: string; key: CryptoKey; keyObject: KeyObject };
}

/**
 * Where the next signature is made. Inline is cheapest and quickest when nothing else waits for the event loop;
 * with other requests in progress, the thread pool lets a second core sign while the loop serves them. Default:
 * the thread pool, for a caller that cannot tell.
 */
export type SigningThreadChoice = () => SigningThread;

export class SigningKeys {
  #ring: KeyRing;

  private constructor(
    ring: KeyRing,
    private readonly keyFile: string | null,
    private readonly signingThread: SigningThreadChoice,
  ) {
    this.#ring = ring;
  }

  /** Loads the key file, creating it with a fresh key the first time. */
  static async loadOrCreate(path: string, signingThread = onThreadPool): Promise<SigningKeys> {
    const existing = await readKeyFile(path);
    if (existing) return new SigningKeys(await keyRing(existing.keys), path, signingThread);
    const keys = [await generateSigningJwk()];
    await writeFileAtomically(path, JSON.stringify({ keys } satisfies KeyFile));
    return new SigningKeys(await keyRing(keys), path, signingThread);
  }

  /** A fresh key held in memory only. */
  static async generate(signingThread = onThreadPool): Promise<SigningKeys> {
    return new SigningKeys(await keyRing([await generateSigningJwk()]), null, signingThread);
  }

  /** The public keys, for the JWKS endpoint. */
  get jwks(): JSONWebKeySet {
    return this.#ring.jwks;
  }

  /** Finds the key a token names by kid, among the kept keys of the moment (for jose's verify functions). */
  readonly verificationKeys: JWTVerifyGetKey = (header, token) => this.#ring.verify(header, token);

  get currentKid(): string {
    return this.#ring.current.kid;
  }

  /** The key that signs now, for a test scenario that signs a forged token with it. */
  currentSigningKey(): { kid: string; key: CryptoKey } {
    const { kid, key } = this.#ring.current;
    return { kid, key };
  }

  /**
   * Starts signing with a new key at once (an emergency rotation) and keeps the previous ones published. The key
   * file is replaced before the new key is used, so a restart never forgets a key that signed something.
   */
  async rotate(): Promise<string> {
    const privateJwks = [...this.#ring.privateJwks, await generateSigningJwk()].slice(-keptKeys);
    const ring = await keyRing(privateJwks);
    if (this.keyFile)
      await writeFileAtomically(this.keyFile, JSON.stringify({ keys: privateJwks } satisfies KeyFile));
    this.#ring = ring;
    return ring.current.kid;
  }

  /** How many signatures were made on each thread since the start: what the choice did, for the specs to read. */
  readonly signaturesMade: Record<SigningThread, number> = { inline: 0, 'thread-pool': 0 };

  sign(payload: JWTPayload, typ: 'JWT' | 'at+jwt'): Promise<string> {
    const { kid, keyObject } = this.#ring.current;
    const thread = this.signingThread();
    this.signaturesMade[thread] += 1;
    return signCompactRs256({ alg, kid, typ }, payload, keyObject, thread);
  }
}

const onThreadPool: SigningThreadChoice = () => 'thread-pool';

async function keyRing(privateJwks: JWK[]): Promise<KeyRing> {
  const newest = privateJwks.at(-1);
  if (!newest?.kid) throw new Error('the key file holds no usable signing key');
  const jwks = {
    keys: privateJwks.map((jwk) => Object.fromEntries(publicMembers.map((name) => [name, jwk[name]])) as JWK),
  };
  const key = (await importJWK(newest, alg)) as CryptoKey;
  return {
    privateJwks,
    jwks,
    verify: createLocalJWKSet(jwks),
    current: { kid: newest.kid, key, keyObject: KeyObject.from(key) },
  };
}

async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use: 'sig', alg };
}

async function readKeyFile(path: string): Promise<KeyFile | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the signing key file ${path}: ${(error as Error).message}`);
  }
}
