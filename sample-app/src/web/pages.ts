/** The app's own pages: home, profile, the Data Hub API call, and "refresh now". */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { IdentityServerUnavailable, isUnreachable } from '../auth/identity-server.ts';
import type { TokenKeeper } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { DataHubApiError, listNamespaces, type Namespace, namespaceStates } from '../data-hub/namespaces.ts';
import { protectFormPost } from './csrf.ts';

function requireSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (req.session.user && req.session.tokens) {
    next();
    return;
  }
  res.redirect(303, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
}

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
    res.render('profile', {
      notice,
      claims: Object.entries(req.session.user?.claims ?? {}).sort(([a], [b]) => a.localeCompare(b)),
      scopes: held?.scope.split(' ').filter(Boolean) ?? [],
      expiresAt: new Date(held?.expiresAt ?? 0).toISOString(),
      secondsLeft: Math.max(0, Math.round(((held?.expiresAt ?? 0) - clock.now()) / 1000)),
      hasRefreshToken: Boolean(held?.refreshToken),
      refreshedAt: held?.refreshedAt ? new Date(held.refreshedAt).toISOString() : null,
    });
  });

  router.get('/namespaces', requireSignedIn, async (req, res) => {
    const call = async () =>
      listNamespaces(
        config.apiBaseUrl,
        config.tenantId,
        await tokens.accessToken(req.session),
        config.httpTimeoutSeconds,
      );
    let namespaces: Namespace[] = [];
    let problem: string | null = null;
    try {
      namespaces = await call().catch(async (error: unknown) => {
        // A 401 means the API no longer accepts this token (revoked, or expired early): refresh once and retry.
        if (!(error instanceof DataHubApiError && error.status === 401 && req.session.tokens?.refreshToken)) {
          throw error;
        }
        await tokens.refresh(req.session);
        return call();
      });
    } catch (error) {
      problem = apiProblem(error, config);
      if (problem === null) throw error;
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
    res.redirect(303, '/profile');
  });

  return router;
}

/** What to tell the user when the API call fails, or null when the error is not the API's. */
function apiProblem(error: unknown, config: AppConfig): string | null {
  // A refresh that could not reach the identity server is not an API problem: the error page names the server.
  if (error instanceof IdentityServerUnavailable) return null;
  if (error instanceof DataHubApiError) {
    if (error.status === 401) return `The Data Hub API did not accept the access token: ${error.reason}`;
    if (error.status === 403) return `Your account may not read tenant ${config.tenantId}: ${error.reason}`;
    return `The Data Hub API answered ${error.status}: ${error.reason}`;
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError')
    return `The Data Hub API did not answer within ${config.httpTimeoutSeconds} s.`;
  if (isUnreachable(error)) {
    return `The Data Hub API at ${config.apiBaseUrl} could not be reached.`;
  }
  return null;
}
