/**
 * Where the walkthrough lives while you are signed in: in the session, next to what it describes, so it follows
 * the user between instances and ends with the session. A sign-in starts it afresh; refreshes are added (the
 * latest few kept). The sign-out's steps leave no state on the server: they travel to the signed-out page in a
 * sealed cookie (extension.ts).
 */
import type { UserSession } from '../sample-app/src/auth/session-data.ts';
import { keptRefreshes, type Step, type Walkthrough } from './steps.ts';

declare module 'express-session' {
  interface SessionData {
    /** The steps of the last sign-in and its latest refreshes, redacted (SHOW_SIGN_IN_FLOW). */
    walkthrough: Walkthrough;
  }
}

export function noteSignIn(session: UserSession, steps: Step[]): void {
  session.walkthrough = { signIn: steps, refreshes: [] };
}

/** A session that has a walkthrough gains the refresh's step; the latest few are kept. */
export function noteRefresh(session: UserSession, step: Step): void {
  const walkthrough = session.walkthrough;
  if (walkthrough) walkthrough.refreshes = [...walkthrough.refreshes, step].slice(-keptRefreshes);
}
