/**
 * A second relying party, written from the specifications with nothing but fetch and jose, so the mock is
 * proven against more than one implementation. It follows OpenID Connect Core 3.3 (hybrid flow) step by step:
 * the checks are numbered after the sections that ask for them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose';
import { halfHashOf } from '../../harness/hybrid-flow.ts';

/**
 * The checks this RP makes, each of which can be switched off to make a weakened RP (a mutant) that the
 * relying-party plan must catch.
 */
export const rpChecks = [
  'response-iss',
  'state',
  'signature',
  'iss',
  'aud',
  'exp',
  'nonce',
  'c_hash',
  'verify-before-redeem',
  'token-sub',
  'userinfo-sub',
  'refresh-iss',
  'refresh-sub',
  'form-post-error',
] as const;
export type RpCheck = (typeof rpChecks)[number];

interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
}

export interface Transaction {
  state: string;
  nonce: string;
  verifier: string;
}

export interface RpTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string | undefined;
  expiresIn: number;
  claims: JWTPayload;
}

const random = () => randomBytes(32).toString('base64url');

export class IndependentRp {
  private constructor(
    readonly metadata: ProviderMetadata,
    private readonly jwks: ReturnType<typeof createRemoteJWKSet>,
    private readonly client: { id: string; secret: string; redirectUri: string },
    /** Checks switched off (none, unless a spec weakens this RP on purpose). */
    readonly skipped: ReadonlySet<RpCheck>,
  ) {}

  /** OpenID Connect Discovery 4.3: the issuer in the document must be the one we asked. */
  static async discover(
    issuer: string,
    client: { id: string; secret: string; redirectUri: string },
    skipped: ReadonlySet<RpCheck> = new Set(),
  ) {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery failed: HTTP ${response.status}`);
    const metadata = (await response.json()) as ProviderMetadata;
    if (metadata.issuer !== issuer) throw new Error(`issuer mismatch: ${metadata.issuer}`);
    // A kid it has not seen makes it fetch the keys again at once, as the OpenID Foundation's signing-key-rotation
    // test expects (its second sign-in follows the rotation at once): jose's default waits 30 s after the last fetch,
    // and failed that module whenever another module had made it fetch within 30 s.
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 0 });
    return new IndependentRp(metadata, jwks, client, skipped);
  }

  #checks(check: RpCheck): boolean {
    return !this.skipped.has(check);
  }

  beginSignIn(scope = 'openid profile email ocsapi offline_access'): {
    url: string;
    transaction: Transaction;
  } {
    const transaction = { state: random(), nonce: random(), verifier: random() };
    const url = new URL(this.metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.client.id,
      redirect_uri: this.client.redirectUri,
      response_type: 'code id_token',
      response_mode: 'form_post',
      scope,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: createHash('sha256').update(transaction.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.href, transaction };
  }

  /** The form_post callback: validate the front channel (3.3.2.12), then redeem the code (3.3.3). */
  async finishSignIn(fields: Record<string, string>, transaction: Transaction): Promise<RpTokens> {
    if (fields.error)
      throw new Error(`authorization error: ${fields.error}: ${fields.error_description ?? ''}`);
    if (this.#checks('response-iss') && fields.iss !== undefined && fields.iss !== this.metadata.issuer)
      throw new Error('RFC 9207: wrong iss');
    if (this.#checks('state') && fields.state !== transaction.state) throw new Error('state mismatch');
    const { code, id_token: frontIdToken } = fields;
    if (!code || !frontIdToken) throw new Error('code and id_token are both required in the hybrid flow');

    const verifyFront = async () => {
      const claims = await this.verifyIdToken(frontIdToken, transaction.nonce);
      // 3.3.2.11: c_hash binds the code to this id_token, so a swapped code is detected before it is used.
      if (this.#checks('c_hash') && claims.c_hash !== halfHashOf(code))
        throw new Error('c_hash does not match the code');
      return claims;
    };
    const redeem = () =>
      this.tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.client.redirectUri,
        code_verifier: transaction.verifier,
      });
    // A careless RP spends the code first and looks at the front channel after: it still refuses, too late.
    const verifiedFirst = this.#checks('verify-before-redeem');
    const front = verifiedFirst ? await verifyFront() : null;
    const response = await redeem();
    const frontClaims = front ?? (await verifyFront());
    const back = await this.verifyIdToken(response.id_token, transaction.nonce);
    // 3.3.3.6 and 3.1.3.8: the same end user, and at_hash binds the access token.
    if (this.#checks('token-sub') && back.sub !== frontClaims.sub)
      throw new Error('the two id_tokens name two users');
    if (back.at_hash !== undefined && back.at_hash !== halfHashOf(response.access_token)) {
      throw new Error('at_hash does not match the access token');
    }
    return this.tokens(response, back);
  }

  /** OpenID Connect Core 12.2: a refreshed id_token is validated as the first, and names the same user. */
  async refresh(refreshToken: string, subject?: string): Promise<RpTokens> {
    const response = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const claims = await this.verifyIdToken(response.id_token, undefined, this.#checks('refresh-iss'));
    if (subject !== undefined && this.#checks('refresh-sub') && claims.sub !== subject)
      throw new Error('the refreshed id_token names another user');
    return this.tokens(response, claims);
  }

  /** OpenID Connect Core 5.3.2: the UserInfo sub must be the id_token's, or the response is not used. */
  async userInfo(accessToken: string, subject: string): Promise<Record<string, unknown>> {
    const response = await fetch(this.metadata.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) throw new Error(`UserInfo answered ${response.status}`);
    const claims = (await response.json()) as Record<string, unknown>;
    if (this.#checks('userinfo-sub') && claims.sub !== subject)
      throw new Error('UserInfo names another user');
    return claims;
  }

  /** RFC 7009: revokes a refresh token. */
  async revoke(refreshToken: string): Promise<boolean> {
    const response = await fetch(this.metadata.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: refreshToken,
        token_type_hint: 'refresh_token',
        client_id: this.client.id,
        client_secret: this.client.secret,
      }),
    });
    return response.ok;
  }

  endSessionUrl(idToken: string, postLogoutRedirectUri: string, state: string): string {
    const url = new URL(this.metadata.end_session_endpoint);
    url.search = new URLSearchParams({
      id_token_hint: idToken,
      post_logout_redirect_uri: postLogoutRedirectUri,
      state,
    }).toString();
    return url.href;
  }

  /** 3.1.3.7: signature, issuer, audience, expiry and nonce, each a check of its own. */
  private async verifyIdToken(
    idToken: string,
    nonce: string | undefined,
    checkIssuer = this.#checks('iss'),
  ): Promise<JWTPayload> {
    const payload = this.#checks('signature')
      ? // The signature only: each claim is judged below, as a check of its own.
        (await jwtVerify(idToken, this.jwks, { algorithms: ['RS256'], clockTolerance: 1e9 })).payload
      : decodeJwt(idToken);
    if (checkIssuer && payload.iss !== this.metadata.issuer) throw new Error('wrong issuer');
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (this.#checks('aud') && !audiences.includes(this.client.id)) throw new Error('wrong audience');
    if (payload.sub === undefined || payload.iat === undefined) throw new Error('sub and iat are required');
    if (this.#checks('exp') && (payload.exp ?? 0) <= Date.now() / 1000) throw new Error('expired');
    if (this.#checks('nonce') && nonce !== undefined && payload.nonce !== nonce)
      throw new Error('nonce mismatch');
    return payload;
  }

  /** client_secret_post, so that this RP authenticates differently from openid-client's Basic. */
  private async tokenRequest(form: Record<string, string>) {
    const response = await fetch(this.metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...form, client_id: this.client.id, client_secret: this.client.secret }),
      // A slow identity server must not hold the user: give up after five seconds.
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as Record<string, string | number | undefined>;
    if (!response.ok)
      throw new Error(`token endpoint: ${String(body.error)}: ${String(body.error_description)}`);
    if (String(body.token_type).toLowerCase() !== 'bearer') throw new Error('token_type must be Bearer');
    return body as { access_token: string; id_token: string; refresh_token?: string; expires_in: number };
  }

  private tokens(
    response: { access_token: string; id_token: string; refresh_token?: string; expires_in: number },
    claims: JWTPayload,
  ): RpTokens {
    return {
      accessToken: response.access_token,
      idToken: response.id_token,
      refreshToken: response.refresh_token,
      expiresIn: response.expires_in,
      claims,
    };
  }
}
