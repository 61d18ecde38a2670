/**
 * The connection to the identity server (the Data Hub authority, `{resource}/identity`): its metadata, fetched by
 * OpenID Connect discovery on first use and kept; if the server cannot be reached, the next request tries again.
 * When the server starts signing with a key this app has not seen, the metadata and keys are fetched anew.
 */
import * as client from 'openid-client';
import type { AppConfig } from '../config.ts';

/** Raised when the identity server cannot be reached or does not answer in time. */
export class IdentityServerUnavailable extends Error {
  override name = 'IdentityServerUnavailable';

  constructor(cause: unknown) {
    super('the identity server could not be reached', { cause });
  }
}

/**
 * The identity server announces an issuer other than the one expected: with no EXPECTED_ISSUER, ISSUER_URL
 * itself. Nothing is signed in against it; the page tells the operator which setting to check.
 */
export class IssuerMismatch extends Error {
  override name = 'IssuerMismatch';

  constructor(
    readonly expected: string,
    readonly announced: string,
  ) {
    super(`the identity server announces the issuer ${announced}, not ${expected}`);
  }
}

export class IdentityServer {
  #configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: AppConfig) {}

  /** The openid-client Configuration: server metadata plus this app's client id and secret. */
  configuration(): Promise<client.Configuration> {
    this.#configuration ??= this.#discover().catch((error: unknown) => {
      this.#configuration = null;
      throw isUnreachable(error) ? new IdentityServerUnavailable(error) : error;
    });
    return this.#configuration;
  }

  /**
   * Runs a step that checks the identity server's signatures. If a signature names a key missing from the cached
   * JWKS, the server has rotated its keys: the connection is made again (a fresh JWKS) and the step retried once.
   * openid-client checks signatures before it sends anything, so the retry never spends a code twice.
   */
  async withCurrentKeys<T>(step: (configuration: client.Configuration) => Promise<T>): Promise<T> {
    const used = this.configuration();
    try {
      return await step(await used);
    } catch (error) {
      if (!isUnknownSigningKey(error)) throw error;
      if (this.#configuration === used) this.#configuration = null;
      return step(await this.configuration());
    }
  }

  async #discover(): Promise<client.Configuration> {
    const { issuer, expectedIssuer, clientId, clientSecret, httpTimeoutSeconds } = this.settings;
    // With an expected issuer apart from the authority, discovery reads the authority's own document and the
    // issuer check below takes the expected one; openid-client then checks every token's `iss` against it.
    const server = expectedIssuer
      ? new URL(`${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration`)
      : issuer;
    const configuration = await client
      .discovery(server, clientId, undefined, client.ClientSecretBasic(clientSecret), {
        timeout: httpTimeoutSeconds,
        // The hybrid flow: the authorization response carries a code and an id_token (validated with c_hash).
        // Plain http is only allowed for a local issuer, such as the bundled mock identity server.
        execute: [
          client.useCodeIdTokenResponseType,
          ...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []),
        ],
      })
      .catch((error: unknown) => {
        const announced = announcedIssuer(error);
        throw announced ? new IssuerMismatch(issuer.href, announced) : error;
      });
    const announced = configuration.serverMetadata().issuer;
    if (expectedIssuer && announced !== expectedIssuer) throw new IssuerMismatch(expectedIssuer, announced);
    return configuration;
  }
}

/** The issuer a discovery document announced, when openid-client refused it for not being the one asked for. */
function announcedIssuer(error: unknown): string | null {
  const { code, cause } = (error ?? {}) as {
    code?: unknown;
    cause?: { attribute?: unknown; body?: unknown };
  };
  if (code !== 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || cause?.attribute !== 'issuer') return null;
  const issuer = (cause.body as { issuer?: unknown } | undefined)?.issuer;
  return typeof issuer === 'string' ? issuer : null;
}

/** oauth4webapi's code (not re-exported by openid-client) for "no key in the JWKS matches the token's kid". */
const keySelectionFailed = 'OAUTH_KEY_SELECTION_FAILED';

function isUnknownSigningKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === keySelectionFailed;
}

/** Network failures and timeouts, as opposed to answers from the server. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof IdentityServerUnavailable) return true;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return true;
  // fetch() rejects with a TypeError for refused connections, DNS failures and resets.
  if (error instanceof TypeError && /fetch failed|failed to fetch/i.test(error.message)) return true;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error && isUnreachable(cause);
}
