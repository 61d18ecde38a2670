/**
 * Mints the signed tokens: id_tokens (OpenID Connect Core 2) and JWT access tokens (RFC 9068), with the hashes
 * that bind an id_token to the code (`c_hash`) and access token (`at_hash`) it travels with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock.ts';
import { dataHubApiAudience } from '../domain/access-rules.ts';
import type { Client, User } from '../domain/model.ts';
import { roleClaim, roleIdsOf } from '../domain/roles.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';

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

/** An access token's claims but its validity (nbf, exp): what a refresh-token family keeps to reissue it. */
export type AccessTokenClaimSet = Record<string, unknown> & { jti: string };

export interface MintedAccessToken {
  token: string;
  claims: AccessTokenClaimSet;
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
    const claims = this.accessTokenClaims(input);
    // Valid from its iat: a second clock read could fall in the next second and make it live a second longer.
    return this.signedAccessToken(claims, input.client, claims.iat as number);
  }

  /** The claims of a new access token, before it is signed. */
  accessTokenClaims(input: AccessTokenInput): AccessTokenClaimSet {
    const iat = epochSeconds(this.clock);
    // As IdentityServer4 4.x makes them (DefaultTokenService): jti is 16 random bytes in hex, and aud names the API
    // resources of the granted scopes only (EmitStaticAudienceClaim is off), so a token without ocsapi has none.
    return {
      iss: this.issuer,
      ...(input.scopes.includes(dataHubApiAudience) && { aud: dataHubApiAudience }),
      client_id: input.client.id,
      tid: input.client.tenantId,
      // IdentityServer4 4.x writes scope as a JSON array in JWTs (EmitScopesAsSpaceDelimitedStringInJwt = false).
      scope: [...input.scopes],
      iat,
      jti: randomBytes(16).toString('hex').toUpperCase(),
      ...(input.user && { sub: input.user.id, idp: 'local', amr: ['pwd'] }),
      ...(input.sessionId && { sid: input.sessionId }),
      ...(input.authTime !== null && { auth_time: Math.floor(input.authTime / 1000) }),
      ...withRoles(
        input.user?.roles ?? (input.client.kind === 'client-credentials' ? input.client.roles : []),
      ),
    };
  }

  /**
   * An access token of these claims, valid from now for the client's lifetime now. A refresh signs the family's
   * first claims again, roles, jti and iat unchanged, as IdentityServer4 does with UpdateAccessTokenClaimsOnRefresh
   * off, its default (TokenResponseGenerator.ProcessRefreshTokenRequestAsync).
   */
  async signedAccessToken(
    claims: AccessTokenClaimSet,
    client: Client,
    now: number = epochSeconds(this.clock),
  ): Promise<MintedAccessToken> {
    const lifetime = client.accessTokenLifetime;
    const token = await this.keys.sign({ ...claims, nbf: now, exp: now + lifetime }, 'at+jwt');
    return { token, claims, expiresIn: lifetime };
  }
}

/** A user's token carries the user's tenant roles; a client-credentials token, the client's (as role ids). */
export function withRoles(roles: readonly string[]): { [roleClaim]?: string[] } {
  const ids = roleIdsOf(roles);
  return ids.length > 0 ? { [roleClaim]: ids } : {};
}
