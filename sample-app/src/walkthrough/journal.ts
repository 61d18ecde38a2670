/**
 * Where the walkthrough lives while you are signed in: in the session, next to what it describes, so it follows
 * the user between instances and ends with the session. A sign-in starts it afresh; refreshes are added (the
 * latest few kept). The sign-out's steps leave no state on the server: they travel to the signed-out page in a
 * sealed cookie (web/sign-out.ts).
 */
import 'express-session';
import type { Session, SessionData } from 'express-session';
import type { RecordedExchange } from '../auth/exchange-recorder.ts';
import type { IdentityServer } from '../auth/identity-server.ts';
import type { Clock } from '../clock.ts';
import { keptRefreshes, refreshStep, type Step, type Walkthrough } from './steps.ts';

declare module 'express-session' {
  interface SessionData {
    /** The steps of the last sign-in and its latest refreshes, redacted (SHOW_SIGN_IN_FLOW). */
    walkthrough: Walkthrough;
  }
}

type UserSession = Session & Partial<SessionData>;

export function noteSignIn(session: UserSession, steps: Step[]): void {
  session.walkthrough = { signIn: steps, refreshes: [] };
}

/** What the token keeper calls after each refresh: the session's walkthrough, if it has one, gains the step. */
export function refreshNoter(identityServer: IdentityServer, clock: Clock) {
  return async (session: UserSession, exchanges: RecordedExchange[]): Promise<void> => {
    const walkthrough = session.walkthrough;
    if (!walkthrough) return;
    const step = refreshStep(exchanges, await identityServer.endpoints(), clock.now());
    if (step) walkthrough.refreshes = [...walkthrough.refreshes, step].slice(-keptRefreshes);
  };
}
