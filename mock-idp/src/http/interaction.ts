/**
 * The identity server's own pages in a sign-in (login, consent): the browser is sent there with the sign-in sealed
 * in a ticket bound to its browser cookie, and each page opens that ticket again. Nothing is kept on the server
 * for a sign-in in progress.
 */
import type { Request, Response } from 'express';
import type { IdpContext } from '../context.ts';
import type { HybridClient } from '../domain/model.ts';
import { clientFor } from '../protocol/clients.ts';
import { OAuthError } from '../protocol/errors.ts';
import { randomHandle } from '../protocol/random.ts';
import type { OpenedTicket } from '../protocol/sign-in-tickets.ts';
import type { AuthorizationRequest } from '../store/records.ts';
import { browserCookieName, cookieOptions, readCookie } from './cookies.ts';

export const expiredSignIn = new OAuthError(
  'invalid_request',
  'this sign-in has expired, was completed already, or was started in another browser: go back to the application and sign in again',
);

export interface PendingSignIn {
  opened: OpenedTicket;
  client: HybridClient;
  ticket: string;
}

export async function continueAt(
  ctx: Pick<IdpContext, 'authority' | 'signInTickets'>,
  req: Request,
  res: Response,
  path: string,
  request: AuthorizationRequest,
): Promise<void> {
  let browser = readCookie(req, browserCookieName);
  if (!browser) {
    browser = randomHandle();
    res.cookie(browserCookieName, browser, cookieOptions(ctx.authority));
  }
  const ticket = await ctx.signInTickets.issue(request, browser);
  res.redirect(303, `${ctx.authority}${path}?${new URLSearchParams({ ticket })}`);
}

/** The sign-in a page's ticket holds, for a client that may still sign in; else the page says it has expired. */
export async function pendingSignIn(
  ctx: Pick<IdpContext, 'clock' | 'signInTickets' | 'store'>,
  req: Request,
  ticket: unknown,
): Promise<PendingSignIn> {
  const opened = await ctx.signInTickets.open(ticket, readCookie(req, browserCookieName));
  if (!opened) throw expiredSignIn;
  const client = clientFor(ctx, opened.request.clientId);
  if (client?.kind !== 'hybrid' || !client.enabled) throw expiredSignIn;
  return { opened, client, ticket: ticket as string };
}
