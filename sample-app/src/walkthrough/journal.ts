/**
 * Where the walkthrough lives while you are signed in: in the session, next to what it describes, so it follows
 * the user between instances and ends with the session. A sign-in starts it afresh; refreshes are added (the
 * latest few kept). The sign-out's steps leave no state on the server: they travel to the signed-out page in a
 * sealed cookie (web/sign-out.ts).
 */
import type { Session, SessionData } from 'express-session';
import { keptRefreshes, type Step } from './steps.ts';

type UserSession = Session & Partial<SessionData>;

export function noteSignIn(session: UserSession, steps: Step[]): void {
  session.walkthrough = { signIn: steps, refreshes: [] };
}

export function noteRefresh(session: UserSession, step: Step | null): void {
  const walkthrough = session.walkthrough;
  if (!walkthrough || !step) return;
  walkthrough.refreshes = [...walkthrough.refreshes, step].slice(-keptRefreshes);
}
