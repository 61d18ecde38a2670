/** The app's own pages: home, profile, the Data Hub API call, and "refresh now". */
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { TokenKeeper } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { DataHubApiError, listNamespaces, type Namespace, namespaceStates } from '../data-hub/namespaces.ts';
import { grantedRoles } from '../data-hub/roles.ts';
import { protectFormPost } from './csrf.ts';
import { failurePage } from './failure-pages.ts';
import { claimText, readableDate, relativeTime } from './readable-time.ts';
import { saveSession } from './sessions.ts';

function requireSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (req.session.user && req.session.tokens) {
    next();
    return;
  }
  res.redirect(303, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
}

/** The API no longer accepts this token (revoked, expired early, signed with a retired key): refresh and retry. */
const refusedToken = (error: unknown) => error instanceof DataHubApiError && error.status === 401;

export function pages(config: AppConfig, tokens: TokenKeeper, clock: Clock): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.render('home', { tenantId: config.tenantId });
  });

  router.get('/profile', requireSignedIn, (req, res) => {
    // One-time: express-session saves the session without it when the response ends.
    const notice = req.session.notice ?? null;
    delete req.session.notice;
    const held = req.session.tokens;
    const user = req.session.user;
    const now = clock.now();
    const sorted = (claims: Record<string, unknown> | null | undefined) =>
      Object.entries(claims ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value: claimText(name, value, now) }));
    const time = (epochMs: number) => ({
      iso: new Date(epochMs).toISOString(),
      date: readableDate(epochMs),
      relative: relativeTime(epochMs, now),
    });
    res.render('profile', {
      notice,
      claims: sorted(user?.claims),
      frontChannelClaims: sorted(user?.frontChannelClaims),
      userinfo: user?.userinfo ? sorted(user.userinfo) : null,
      roles: grantedRoles(user?.userinfo?.role_type ?? user?.claims.role_type),
      scopes: held?.scope.split(' ').filter(Boolean) ?? [],
      expires: time(held?.expiresAt ?? 0),
      secondsLeft: held ? tokens.secondsLeft(held) : 0,
      hasRefreshToken: Boolean(held?.refreshToken),
      refreshed: held?.refreshedAt ? time(held.refreshedAt) : null,
    });
  });

  router.get('/namespaces', requireSignedIn, async (req, res) => {
    let namespaces: Namespace[] = [];
    let problem: string | null = null;
    try {
      namespaces = await tokens.callApi(
        req.session,
        (accessToken) =>
          listNamespaces(config.apiBaseUrl, config.tenantId, accessToken, config.httpTimeoutSeconds),
        refusedToken,
      );
    } catch (error) {
      // The API's own failures are shown on this page; anything else (sign in again, identity server down) is a
      // page of its own.
      const page = failurePage(error, req, config);
      if (!page.apiProblem) throw error;
      problem = page.detail;
    }
    res.status(problem ? 502 : 200).render('namespaces', {
      namespaces,
      problem,
      tenantId: config.tenantId,
      states: namespaceStates,
    });
  });

  router.post('/refresh', requireSignedIn, ...protectFormPost(config.appOrigin), async (req, res) => {
    await tokens.refresh(req.session);
    req.session.notice = 'The access token was refreshed.';
    // Saved before the redirect: express-session sends the 303's headers first and saves after, so the browser's
    // next request (on this instance or another) could read the session as it was before the refresh.
    await saveSession(req);
    res.redirect(303, '/profile');
  });

  return router;
}
