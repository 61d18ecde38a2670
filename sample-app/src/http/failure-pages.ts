/**
 * The one map from failure to what the user sees: a page that says what happened and what to do next, never a
 * stack trace, never a token. The session survives what it should (an unreachable identity server, a failed API
 * call). Routes throw; this decides.
 */
import type { NextFunction, Request, Response } from 'express';
import * as client from 'openid-client';
import {
  IdentityServerUnavailable,
  IssuerMismatch,
  isUnreachable,
  SignedOutOfAppOnly,
  SignInFailed,
  SignInRequired,
} from '../auth/failures.ts';
import type { AppConfig } from '../config.ts';
import { DataHubApiError } from '../data-hub/namespaces.ts';
import { CrossSiteRequestRefused } from './csrf.ts';
import { safeReturnTo } from './return-to.ts';

export interface FailurePage {
  status: number;
  title: string;
  detail: string;
  /** Show a "Sign in" button, coming back to this path. */
  signInReturnTo?: string;
  retry?: boolean;
  /** A failure of the Data Hub API call: the page that made it shows it in place. */
  apiProblem?: true;
  /** Rendered with another view than the error page (and its locals). */
  view?: { name: string; locals: Record<string, unknown> };
}

const authorizationErrors: Record<string, { title: string; detail: string }> = {
  access_denied: {
    title: 'Sign-in cancelled',
    detail: 'The sign-in was cancelled or refused at the identity server.',
  },
  consent_required: {
    title: 'Consent required',
    detail:
      'The identity server needs you to agree to what this app asks for: sign in again to see its question.',
  },
  login_required: { title: 'Sign-in required', detail: 'The identity server needs you to sign in.' },
};

/** Where "Sign in" should come back to: this page, or for a form post the page that held the form. */
function returnPath(req: Request, config: AppConfig): string {
  if (req.method === 'GET') return safeReturnTo(req.originalUrl);
  const referer = URL.parse(req.get('referer') ?? '');
  return referer?.origin === config.appOrigin ? safeReturnTo(referer.pathname + referer.search) : '/';
}

/**
 * The token endpoint refused the client's id or secret. IdentityServer (and so Data Hub) answers 400
 * `{"error":"invalid_client"}`; a server following RFC 6749 5.2 to the letter answers 401 with a WWW-Authenticate
 * challenge, which openid-client reports without reading the body. Both mean the same to the user.
 */
function isClientAuthenticationFailure(error: unknown): boolean {
  if (error instanceof client.ResponseBodyError) return error.error === 'invalid_client';
  return (
    error instanceof client.WWWAuthenticateChallengeError &&
    error.status === 401 &&
    !error.cause.some((challenge) => challenge.scheme === 'bearer')
  );
}

export function failurePage(error: unknown, req: Request, config: AppConfig): FailurePage {
  const here = returnPath(req, config);
  if (error instanceof SignInRequired) {
    return { status: 401, title: 'Please sign in again', detail: error.reason, signInReturnTo: here };
  }
  if (error instanceof SignedOutOfAppOnly) {
    return {
      status: 503,
      title: 'You are signed out of this app',
      detail: 'The identity server could not be reached, so you may still be signed in there.',
      view: { name: 'signed-out', locals: { outcome: 'identity-server-unreachable' } },
    };
  }
  const apiProblem = apiFailure(error, config);
  if (apiProblem)
    return { status: 502, title: 'The Data Hub API call failed', detail: apiProblem, apiProblem: true };
  if (error instanceof SignInFailed) {
    return { status: error.status, title: error.title, detail: error.detail, signInReturnTo: '/' };
  }
  if (error instanceof IdentityServerUnavailable) {
    return {
      status: 503,
      title: 'The identity server cannot be reached',
      detail: `The app could not reach ${config.issuer.href} in time. You are still signed in to this app if you were; try again in a moment.`,
      retry: req.method === 'GET',
    };
  }
  if (error instanceof client.AuthorizationResponseError) {
    const known = authorizationErrors[error.error];
    return {
      status: 400,
      title: known?.title ?? 'The identity server refused the sign-in',
      detail:
        `${known?.detail ?? ''} (${error.error}${error.error_description ? `: ${error.error_description}` : ''})`.trim(),
      signInReturnTo: '/',
    };
  }
  if (error instanceof IssuerMismatch) {
    return {
      status: 502,
      title: 'The identity server announces another issuer',
      detail:
        `Its discovery document names the issuer ${error.announced}, and this app expects ${error.expected}. ` +
        'If that is the identity server you mean (an issuer may differ from the address the server is reached at), ' +
        `set EXPECTED_ISSUER=${error.announced}; otherwise check ISSUER_URL.`,
    };
  }
  if (isClientAuthenticationFailure(error)) {
    return {
      status: 502,
      title: "The identity server did not accept this app's credentials",
      detail:
        'Check CLIENT_ID and CLIENT_SECRET. The secret may have expired or been deleted: add a new one in the ' +
        "client's Details pane (Security > Clients).",
    };
  }
  if (error instanceof client.ResponseBodyError) {
    return {
      status: 400,
      title: 'The sign-in could not be completed',
      detail: `The identity server answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}. Sign in again.`,
      signInReturnTo: '/',
    };
  }
  if (error instanceof client.ClientError) {
    return {
      status: 400,
      title: 'The sign-in response could not be verified',
      detail:
        'It may be stale, replayed or tampered with (a state, nonce, c_hash or signature check failed). Sign in again.',
      signInReturnTo: '/',
    };
  }
  if (error instanceof CrossSiteRequestRefused) {
    return {
      status: 403,
      title: 'This form could not be accepted',
      detail: `${error.message}. Reload the page and try again.`,
    };
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, title: 'This request could not be read', detail: 'Go back and try again.' };
  }
  return {
    status: 500,
    title: 'Something went wrong',
    detail: 'The app could not complete this request. Try again.',
  };
}

/** What to tell the user when the Data Hub API call fails, or null when the failure is not the API's. */
function apiFailure(error: unknown, config: AppConfig): string | null {
  // A refresh that could not reach the identity server is not an API problem: its page names the identity server.
  if (error instanceof IdentityServerUnavailable) return null;
  if (error instanceof DataHubApiError) {
    if (error.status === 401) return `The Data Hub API did not accept the access token: ${error.reason}`;
    if (error.status === 403) return `Your account may not read tenant ${config.tenantId}: ${error.reason}`;
    return `The Data Hub API answered ${error.status}: ${error.reason}`;
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError')
    return `The Data Hub API did not answer within ${config.httpTimeoutSeconds} s.`;
  if (isUnreachable(error)) return `The Data Hub API at ${config.apiBaseUrl} could not be reached.`;
  return null;
}

export function errorPages(config: AppConfig) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // The sign-in ran out on a page request: sign in again and come back, as for a page that needs a sign-in. With
    // the identity server's session still open, the user sees no login page.
    if (error instanceof SignInRequired && error.expired && req.method === 'GET' && !res.headersSent) {
      res.redirect(303, `/login?returnTo=${encodeURIComponent(returnPath(req, config))}`);
      return;
    }
    const page = failurePage(error, req, config);
    if (page.status === 500) {
      // The stack for the developer; never the error's properties, which can hold token responses.
      console.error(
        `sample-app: ${req.method} ${req.path} failed:`,
        (error as Error)?.stack ?? String(error),
      );
    } else if (page.status > 500 || error instanceof client.ClientError) {
      // Name, code and message are enough to diagnose; the error's other properties can hold token responses.
      const { name, code, message, cause } = error as {
        name?: string;
        code?: string;
        message?: string;
        cause?: Error;
      };
      const detail = [name, code, message, cause?.message].filter(Boolean).join(': ');
      // Handled: the user got a page saying what happened. A warning, with the answer, not an error.
      console.warn(
        `sample-app: ${req.method} ${req.path} answered ${page.status} "${page.title}" (${detail})`,
      );
    }
    if (res.headersSent) return;
    if (page.view) res.status(page.status).render(page.view.name, page.view.locals);
    else res.status(page.status).render('error', page);
  };
}
