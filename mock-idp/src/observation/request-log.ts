/**
 * What the mock received and answered, for tests to read ("the app never redeemed the code", "the app called
 * UserInfo"): the endpoint, method, status, the client when the request names one, and never a credential. The
 * newest entries are kept, up to a bound, in memory only.
 */
export type LoggedEndpoint =
  | 'discovery'
  | 'jwks'
  | 'authorize'
  | 'login'
  | 'consent'
  | 'token'
  | 'userinfo'
  | 'revocation'
  | 'end_session';

export interface LoggedRequest {
  /** Increases by one per request: a test can ask for what came after the last entry it saw. */
  seq: number;
  /** When the mock answered, on its own clock (ISO 8601). */
  time: string;
  endpoint: LoggedEndpoint;
  method: string;
  status: number;
  /** The client the request names (client authentication, client_id, the access token's client_id); null if none. */
  clientId: string | null;
  /** The user whose sign-in the request belongs to (the authorization response, a code exchange or refresh, UserInfo). */
  userId?: string;
  /** The token endpoint's grant_type. */
  grantType?: string;
  /** How the client authenticated at the token or revocation endpoint (never the secret). */
  clientAuthentication?: 'client_secret_basic' | 'client_secret_post';
  /** The OAuth error code answered, if any. */
  error?: string;
  /** Why, in the mock's words: also when the answer leaves the description out, as IdentityServer does. */
  errorDescription?: string;
  /** The scenario that changed the response, if one did. */
  scenario?: string;
}

export interface RequestFilter {
  clientId?: string | undefined;
  userId?: string | undefined;
  endpoint?: string | undefined;
  /** Only entries after this seq. */
  after?: number | undefined;
}

export const keptRequests = 2000;

export class RequestLog {
  #entries: LoggedRequest[] = [];
  #seq = 0;

  add(entry: Omit<LoggedRequest, 'seq'>): void {
    this.#seq += 1;
    this.#entries.push({ seq: this.#seq, ...entry });
    if (this.#entries.length > keptRequests) this.#entries.splice(0, this.#entries.length - keptRequests);
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    const clientId = filter.clientId?.toLowerCase();
    return this.#entries.filter(
      (entry) =>
        (clientId === undefined || entry.clientId?.toLowerCase() === clientId) &&
        (filter.userId === undefined || entry.userId === filter.userId) &&
        (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
        (filter.after === undefined || entry.seq > filter.after),
    );
  }

  clear(): void {
    this.#entries = [];
  }
}
