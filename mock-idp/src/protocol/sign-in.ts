/**
 * Who is signed in at the identity server: the single-sign-on session, when it can be reused for a request,
 * and password sign-in from the login page.
 */
import type { IdpContext } from '../context.ts';
import type { HybridClient, User } from '../domain/model.ts';
import { PasswordChecksBusy, unknownUserHash, verifyPassword } from '../plumbing/passwords.ts';
import type { AuthorizationRequest, SessionPurpose, SsoSession } from '../store/records.ts';
import { OAuthError } from './errors.ts';
import { randomHandle } from './random.ts';

export const ssoSessionLifetimeMs = 10 * 60 * 60 * 1000;

export interface SignedIn {
  session: SsoSession;
  user: User;
}

/** The session to answer the request with, null when the user must sign in, or login_required for prompt=none. */
export function reusableSession(
  ctx: Pick<IdpContext, 'clock' | 'store'>,
  request: AuthorizationRequest,
  client: HybridClient,
  sessionId: string | undefined,
): SignedIn | null {
  const signedIn = currentSession(ctx, sessionId);
  const fresh =
    signedIn !== null &&
    signedIn.user.tenantId === client.tenantId &&
    !request.prompts.includes('login') &&
    (request.maxAgeSeconds === null ||
      ctx.clock.now() - signedIn.session.authTime <= request.maxAgeSeconds * 1000);
  if (fresh) return signedIn;
  if (request.prompts.includes('none')) throw new OAuthError('login_required', 'the user is not signed in');
  return null;
}

export function currentSession(
  ctx: Pick<IdpContext, 'clock' | 'store'>,
  sessionId: string | undefined,
  purpose: SessionPurpose = 'sign-in',
): SignedIn | null {
  const session = sessionId ? ctx.store.sessions.get(sessionId) : undefined;
  if (!session || session.expiresAt <= ctx.clock.now() || (session.purpose ?? 'sign-in') !== purpose)
    return null;
  const user = ctx.store.users.get(session.userId);
  return user ? { session, user } : null;
}

export type PasswordSignInResult =
  | { ok: true; signedIn: SignedIn }
  /** 401: wrong credentials, or refused; 429: locked for a while, or too busy to check now. */
  | { ok: false; message: string; status: 401 | 429; retryAfterSeconds?: number };

const wrongCredentials = 'The email or password is not correct.';

/**
 * Checks the credentials and that the user may sign in here, then starts a new session (a new id every time:
 * no session fixation). `mayUse` says why a known user is refused, or null to let them in.
 */
export async function signInWithPassword(
  ctx: Pick<IdpContext, 'clock' | 'passwordGuessing' | 'store'>,
  { email, password }: { email: string; password: string },
  {
    mayUse,
    purpose = 'sign-in',
    replacing,
  }: {
    /** Why a known user is refused here, or null to let them in. */
    mayUse: (user: User) => string | null;
    purpose?: SessionPurpose;
    /** The session this browser had: ended, so a sign-in always starts a new one (no session fixation). */
    replacing?: string | undefined;
  },
): Promise<PasswordSignInResult> {
  const locked = ctx.passwordGuessing.lockedFor(email);
  if (locked > 0) {
    return {
      ok: false,
      status: 429,
      retryAfterSeconds: Math.ceil(locked / 1000),
      message: 'Too many failed sign-ins for this email: try again in a few minutes.',
    };
  }
  const user = ctx.store.findUserByEmail(email);
  let passwordMatches: boolean;
  try {
    passwordMatches = await verifyPassword(password, user?.passwordHash ?? unknownUserHash);
  } catch (error) {
    if (!(error instanceof PasswordChecksBusy)) throw error;
    return {
      ok: false,
      status: 429,
      retryAfterSeconds: 1,
      message: 'Sign-in is busy right now: try again in a moment.',
    };
  }
  if (!user || !passwordMatches) {
    ctx.passwordGuessing.failed(email);
    return { ok: false, status: 401, message: wrongCredentials };
  }
  ctx.passwordGuessing.succeeded(email);
  const refusal = mayUse(user);
  if (refusal) return { ok: false, status: 401, message: refusal };
  endSignOnSession(ctx, replacing);
  const now = ctx.clock.now();
  const session = ctx.store.sessions.put({
    id: randomHandle(),
    purpose,
    userId: user.id,
    tenantId: user.tenantId,
    authTime: now,
    expiresAt: now + ssoSessionLifetimeMs,
  });
  return { ok: true, signedIn: { session, user } };
}

/** Users sign in to the tenant of the client they sign in to. */
export const ofClientTenant = (client: HybridClient) => (user: User) =>
  user.tenantId === client.tenantId
    ? null
    : 'This account does not belong to the tenant this application signs in to.';

/** Ends a session (sign-on or portal); an unknown id is already ended. */
export function endSignOnSession(ctx: Pick<IdpContext, 'store'>, sessionId: string | undefined): void {
  if (sessionId) ctx.store.sessions.delete(sessionId);
}
