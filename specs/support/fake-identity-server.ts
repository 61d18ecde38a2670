import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { halfHashOf } from '../../harness/hybrid-flow.ts';

export const fakeIssuer = 'https://idp.example.test/identity';
export const fakeApi = 'https://api.example.test';
export const fakeTenant = '5a5a5a5a-0000-4000-8000-000000000001';
export const fakeClient = {
  id: 'fake-client',
  secret: 'fake-client-secret',
  redirectUri: 'http://localhost:3999/callback',
  postLogoutRedirectUri: 'http://localhost:3999/signed-out',
};
export const fakeUser = { sub: 'user-1', name: 'Fiona Fake', email: 'fiona@example.test' };

export interface TokenRequestSeen {
  grantType: string;
  body: URLSearchParams;
  authorization: string | null;
}

export class FakeIdentityServer {
  readonly tokenRequests: TokenRequestSeen[] = [];
  readonly issuedAccessTokens: string[] = [];
  /** What the default token handler answers: a client with or without Allow Refresh Token, and its lifetime. */
  settings = { refreshTokens: true, accessTokenLifetime: 3600 };
  readonly apiCalls: string[] = [];
  #key!: CryptoKey;
  #jwk!: JWK;
  #counter = 0;
  /** The nonce of each code handed out, so the token endpoint's id_token carries it as OIDC Core 3.1.3.7 asks. */
  readonly #nonces = new Map<string, string>();

  static async create(): Promise<FakeIdentityServer> {
    const server = new FakeIdentityServer();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    server.#key = privateKey;
    server.#jwk = { ...(await exportJWK(publicKey)), kid: 'fake-key', alg: 'RS256', use: 'sig' };
    return server;
  }

  /** An id_token with sensible claims. */
  idToken(claims: JWTPayload): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const defaults = {
      iss: fakeIssuer,
      aud: fakeClient.id,
      sub: fakeUser.sub,
      tid: fakeTenant,
      iat: now,
      exp: now + 300,
      auth_time: now,
    };
    return new SignJWT({ ...defaults, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-key', typ: 'JWT' })
      .sign(this.#key);
  }

  /** The form_post fields the identity server would send back for this authorization URL. */
  async callbackFields(authorizationUrl: string) {
    const url = new URL(authorizationUrl);
    const code = `code-${++this.#counter}`;
    const state = url.searchParams.get('state') ?? '';
    const nonce = url.searchParams.get('nonce') ?? '';
    this.#nonces.set(code, nonce);
    const idToken = await this.idToken({ nonce, c_hash: halfHashOf(code) });
    // No iss parameter: IdentityServer4 4.x, and so the mock by default, sends none.
    return { code, id_token: idToken, state };
  }

  /** A successful token response, as the Data Hub identity server gives it. */
  async tokenResponse(options: { nonce?: string } = {}) {
    const accessToken = `access-${++this.#counter}`;
    this.issuedAccessTokens.push(accessToken);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.settings.accessTokenLifetime,
      scope: 'openid profile email ocsapi offline_access',
      id_token: await this.idToken({
        at_hash: halfHashOf(accessToken),
        ...(options.nonce && { nonce: options.nonce }),
      }),
      ...(this.settings.refreshTokens && { refresh_token: `refresh-${this.#counter}` }),
    };
  }

  /** The default handlers: discovery, JWKS, token (codes and refresh tokens succeed), userinfo, namespaces. */
  handlers() {
    return [
      http.get(`${fakeIssuer}/.well-known/openid-configuration`, () =>
        HttpResponse.json({
          issuer: fakeIssuer,
          authorization_endpoint: `${fakeIssuer}/connect/authorize`,
          token_endpoint: `${fakeIssuer}/connect/token`,
          userinfo_endpoint: `${fakeIssuer}/connect/userinfo`,
          end_session_endpoint: `${fakeIssuer}/connect/endsession`,
          revocation_endpoint: `${fakeIssuer}/connect/revocation`,
          jwks_uri: `${fakeIssuer}/.well-known/openid-configuration/jwks`,
          response_types_supported: ['code id_token'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      ),
      http.get(`${fakeIssuer}/.well-known/openid-configuration/jwks`, () =>
        HttpResponse.json({ keys: [this.#jwk] }),
      ),
      http.post(`${fakeIssuer}/connect/token`, async ({ request }) => {
        const body = new URLSearchParams(await request.text());
        this.tokenRequests.push({
          grantType: body.get('grant_type') ?? '',
          body,
          authorization: request.headers.get('authorization'),
        });
        return HttpResponse.json(
          await this.tokenResponse({ nonce: this.#nonces.get(body.get('code') ?? '') }),
        );
      }),
      http.post(`${fakeIssuer}/connect/revocation`, () => new HttpResponse(null, { status: 200 })),
      http.get(`${fakeIssuer}/connect/userinfo`, () => HttpResponse.json({ ...fakeUser, tid: fakeTenant })),
      http.get(`${fakeApi}/api/v1/Tenants/:tenant/Namespaces`, ({ request }) => {
        this.apiCalls.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json([{ Id: 'alpha' }, { Id: 'beta', Description: 'Second namespace' }]);
      }),
    ];
  }
}
