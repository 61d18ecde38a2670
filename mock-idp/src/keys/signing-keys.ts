/**
 * The RS256 keys the identity server signs with. They live in a key file in the data folder, so tokens issued
 * before a restart still verify after it. The newest key signs; every key in the file is published in the JWKS.
 */
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
  SignJWT,
} from 'jose';
import { writeFileAtomically } from '../store/state-file.ts';

const alg = 'RS256';
const publicMembers = ['kty', 'kid', 'use', 'alg', 'n', 'e'] as const;

interface KeyFile {
  keys: JWK[];
}

export class SigningKeys {
  readonly jwks: JSONWebKeySet;
  readonly verificationKeys: JWTVerifyGetKey;
  readonly #current: { kid: string; key: CryptoKey };

  private constructor(privateJwks: JWK[], current: CryptoKey) {
    this.jwks = {
      keys: privateJwks.map(
        (jwk) => Object.fromEntries(publicMembers.map((name) => [name, jwk[name]])) as JWK,
      ),
    };
    this.verificationKeys = createLocalJWKSet(this.jwks);
    this.#current = { kid: privateJwks.at(-1)?.kid as string, key: current };
  }

  static async fromJwks(privateJwks: JWK[]): Promise<SigningKeys> {
    const newest = privateJwks.at(-1);
    if (!newest?.kid) throw new Error('the key file holds no usable signing key');
    return new SigningKeys(privateJwks, (await importJWK(newest, alg)) as CryptoKey);
  }

  /** Loads the key file, creating it with a fresh key the first time. */
  static async loadOrCreate(path: string): Promise<SigningKeys> {
    const existing = await readKeyFile(path);
    if (existing) return SigningKeys.fromJwks(existing.keys);
    const keys = [await generateSigningJwk()];
    await writeFileAtomically(path, JSON.stringify({ keys } satisfies KeyFile));
    return SigningKeys.fromJwks(keys);
  }

  /** A fresh key held in memory only. */
  static async generate(): Promise<SigningKeys> {
    return SigningKeys.fromJwks([await generateSigningJwk()]);
  }

  get currentKid(): string {
    return this.#current.kid;
  }

  sign(payload: JWTPayload, typ: 'JWT' | 'at+jwt'): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg, kid: this.#current.kid, typ })
      .sign(this.#current.key);
  }
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
