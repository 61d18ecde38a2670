/**
 * Where the walkthrough lives: in the session, next to what it describes, so it follows the user between
 * instances and ends with the session. A sign-in starts it afresh; refreshes are added (the latest few kept);
 * sign-out adds its steps to a session of their own, since the signed-in one ends.
 */
import type { Session, SessionData } from 'express-session';
import { keptRefreshes, type Step, type Walkthrough } from './steps.ts';

type UserSession = Session & Partial<SessionData>;

export function noteSignIn(session: UserSession, steps: Step[]): void {
  session.walkthrough = { signIn: steps, refreshes: [], signOut: [] };
}

export function noteRefresh(session: UserSession, step: Step | null): void {
  const walkthrough = session.walkthrough;
  if (!walkthrough || !step) return;
  walkthrough.refreshes = [...walkthrough.refreshes, step].slice(-keptRefreshes);
}

/** The walkthrough with the sign-out steps, for the session that outlives the sign-in. */
export const withSignOut = (walkthrough: Walkthrough, steps: Step[]): Walkthrough => ({
  ...walkthrough,
  signOut: steps,
});

export function noteSignedOut(session: UserSession, step: Step): void {
  const walkthrough = session.walkthrough;
  if (!walkthrough || walkthrough.signOut.length === 0) return;
  // A reload of the signed-out page does not add the step twice.
  walkthrough.signOut = [...walkthrough.signOut.filter((existing) => existing.title !== step.title), step];
}
