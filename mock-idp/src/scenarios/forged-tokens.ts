/**
 * Re-signs an id_token the mock minted, with its claims changed and signed as a scenario asks: really signed
 * wherever the scenario needs a valid signature, so a relying party's checks run for real.
 */
import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import type { Effect, ForgeryFacts, Signing } from './catalogue.ts';

/** A key of a scenario's own: its private half signs, its public JWK may be published. */
export interface ScenarioKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newScenarioKey(): Promise<ScenarioKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg: 'RS256' } };
}

/** What a forgery may sign with, besides the claims. */
export interface ForgerySigners {
  /** The identity server's current signing key. */
  server: { kid: string; key: CryptoKey };
  /** The scenario's own key (new-published-key, unpublished-key). */
  scenarioKey?: ScenarioKey | undefined;
  /** The client secret given with the scenario (hs256-client-secret). */
  clientSecret?: string | undefined;
}

type IdTokenForgery = Extract<Effect, { kind: 'forge-id-token' }>;

export function forgeIdToken(
  genuine: string,
  forgery: IdTokenForgery,
  facts: ForgeryFacts,
  signers: ForgerySigners,
): Promise<string> {
  const claims = forgery.claims ? forgery.claims(decodeJwt(genuine), facts) : decodeJwt(genuine);
  return sign(claims, forgery.signing ?? 'server-key', signers);
}

async function sign(claims: JWTPayload, signing: Signing, signers: ForgerySigners): Promise<string> {
  const rs256 = (key: CryptoKey, kid?: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid && { kid }) }).sign(key);
  switch (signing) {
    case 'server-key':
      return rs256(signers.server.key, signers.server.kid);
    case 'server-key-without-kid':
      return rs256(signers.server.key);
    case 'new-published-key':
    case 'unpublished-key': {
      const key = required(signers.scenarioKey, signing);
      return rs256(key.privateKey, key.kid);
    }
    case 'broken-signature':
      return withFlippedSignatureBit(await rs256(signers.server.key, signers.server.kid));
    case 'hs256-client-secret':
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(required(signers.clientSecret, signing)));
    case 'unsigned':
      return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
  }
}

function required<T>(value: T | undefined, signing: Signing): T {
  if (value === undefined) throw new Error(`the ${signing} forgery has nothing to sign with`);
  return value;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The same token with one bit of its signature flipped: well formed, and never verifiable. */
function withFlippedSignatureBit(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** Values a forgery names that belong to nobody here. */
export const strangerId = (): string => randomUUID();
