/**
 * Mints the signed tokens: id_tokens (OpenID Connect Core 2) and JWT access tokens (RFC 9068), with the hashes
 * that bind an id_token to the code (`c_hash`) and access token (`at_hash`) it travels with.
 */
import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock.ts';
import { dataHubApiAudience } from '../domain/access-rules.ts';
import type { Client, User } from '../domain/model.ts';
import { roleClaim, roleIdsOf } from '../domain/roles.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import { pooledRandomBytes } from '../plumbing/random-pool.ts';
import type { KeptAccessToken } from '../store/records.ts';

export const idTokenLifetimeSeconds = 300;

/** The left-most half of the SHA-256 of the ASCII value, base64url encoded (OIDC Core 3.3.2.11). */
export const halfHash = (value: string): string =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');

export interface IdTokenInput {
  client: Client;
  user: User;
  sessionId: string;
  authTime: number;
  nonce?: string;
  code?: string;
  accessToken?: string;
  /** The state of the authorization request, hashed (s_hash), when it had one. */
  stateHash?: string;
}

export interface AccessTokenInput {
  client: Client;
  scopes: readonly string[];
  user: User | null;
  sessionId: string | null;
  authTime: number | null;
}

export interface MintedAccessToken {
  token: string;
  kept: KeptAccessToken;
  expiresIn: number;
}

export class TokenMinter {
  constructor(
    private readonly issuer: string,
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {}

  idToken(input: IdTokenInput): Promise<string> {
    const iat = epochSeconds(this.clock);
    return this.keys.sign(
      {
        ...input.user.claims,
        iss: this.issuer,
        sub: input.user.id,
        aud: input.client.id,
        iat,
        nbf: iat,
        exp: iat + idTokenLifetimeSeconds,
        auth_time: Math.floor(input.authTime / 1000),
        sid: input.sessionId,
        tid: input.user.tenantId,
        idp: 'local',
        amr: ['pwd'],
        ...(input.nonce !== undefined && { nonce: input.nonce }),
        ...(input.code !== undefined && { c_hash: halfHash(input.code) }),
        ...(input.accessToken !== undefined && { at_hash: halfHash(input.accessToken) }),
        ...(input.stateHash !== undefined && { s_hash: input.stateHash }),
      },
      'JWT',
    );
  }

  /** A new access token. The lifetime is the client's `AccessTokenLifetime`: `exp - iat` equals it exactly. */
  accessToken(input: AccessTokenInput): Promise<MintedAccessToken> {
    const kept = this.newAccessToken(input);
    // Valid from its iat: a second clock read could fall in the next second and make it live a second longer.
    return this.signedAccessToken(input, kept, kept.iat);
  }

  /** The claims of a new access token that its refresh-token family keeps, before it is signed. */
  newAccessToken(input: Pick<AccessTokenInput, 'client' | 'user'>): KeptAccessToken {
    return {
      iss: this.issuer,
      // As IdentityServer4 4.x makes it (DefaultTokenService): 16 random bytes in hex.
      jti: pooledRandomBytes(16).toString('hex').toUpperCase(),
      iat: epochSeconds(this.clock),
      roleIds: roleIdsOf(
        input.user?.roles ?? (input.client.kind === 'client-credentials' ? input.client.roles : []),
      ),
    };
  }

  /**
   * The access token of this input and these kept claims, valid from now for the client's lifetime now. A refresh
   * signs the family's first claims again, roles, jti and iat unchanged, as IdentityServer4 does with
   * UpdateAccessTokenClaimsOnRefresh off, its default (TokenResponseGenerator.ProcessRefreshTokenRequestAsync).
   */
  async signedAccessToken(
    input: AccessTokenInput,
    kept: KeptAccessToken,
    now: number = epochSeconds(this.clock),
  ): Promise<MintedAccessToken> {
    const lifetime = input.client.accessTokenLifetime;
    const token = await this.keys.sign(
      { ...accessTokenClaims(input, kept), nbf: now, exp: now + lifetime },
      'at+jwt',
    );
    return { token, kept, expiresIn: lifetime };
  }
}

/**
 * An access token's claims but its validity (nbf, exp), as IdentityServer4 4.x makes them (DefaultTokenService):
 * aud names the API resources of the granted scopes only (EmitStaticAudienceClaim is off), so a token without
 * ocsapi has none, and scope is a JSON array (EmitScopesAsSpaceDelimitedStringInJwt = false).
 */
function accessTokenClaims(input: AccessTokenInput, kept: KeptAccessToken): Record<string, unknown> {
  return {
    iss: kept.iss,
    ...(input.scopes.includes(dataHubApiAudience) && { aud: dataHubApiAudience }),
    client_id: input.client.id,
    tid: input.client.tenantId,
    scope: [...input.scopes],
    iat: kept.iat,
    jti: kept.jti,
    ...(input.user && { sub: input.user.id, idp: 'local', amr: ['pwd'] }),
    ...(input.sessionId && { sid: input.sessionId }),
    ...(input.authTime !== null && { auth_time: Math.floor(input.authTime / 1000) }),
    ...withRoleIds(kept.roleIds),
  };
}

/** The role claim of these role ids (a user's tenant roles, or a client-credentials client's): none for none. */
export function withRoleIds(ids: string[]): { [roleClaim]?: string[] } {
  return ids.length > 0 ? { [roleClaim]: ids } : {};
}
