/**
 * What can go wrong with signing in and staying signed in, as errors the pages understand (http/failure-pages.ts maps each
 * to the page the user sees). Raised by the identity-server and token modules; never carrying a token.
 */

/** The identity server cannot be reached or does not answer in time. */
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

/** A sign-in that cannot be completed, with what the user is told. */
export class SignInFailed extends Error {
  constructor(
    readonly title: string,
    readonly detail: string,
    readonly status = 400,
  ) {
    super(`${title}: ${detail}`);
  }
}

/**
 * The user has to sign in (again); `reason` is shown to them. `expired`: nothing went wrong, the sign-in simply ran
 * out (an access token expired with no refresh token to renew it), so a page request signs in again at once.
 */
export class SignInRequired extends Error {
  constructor(
    readonly reason: string,
    readonly expired = false,
  ) {
    super(reason);
  }
}

/** Signed out of the app, but the identity server could not be reached to end its session too. */
export class SignedOutOfAppOnly extends Error {
  constructor(cause: unknown) {
    super('signed out of the app; the identity server could not be reached', { cause });
  }
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
