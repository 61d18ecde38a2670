/**
 * Holds back a response until the changes made while handling it are on disk: a code, a refresh token, a client
 * or a secret the identity server has handed out is never lost to a crash that follows. The response is held at
 * res.end, the way express-session holds it to save a session; concurrent requests share one disk write.
 */
import type { RequestHandler, Response } from 'express';

/** What the responses wait for: the state journal. */
export interface Persistence {
  /** How many changes have been made so far: two readings tell whether anything changed between them. */
  readonly changes: number;
  /** Resolves once every change so far is on disk. */
  flush(): Promise<void>;
}

export function durableResponses(persistence: Persistence): RequestHandler {
  return (_req, res, next) => {
    const before = persistence.changes;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (persistence.changes === before) return end(...args);
      persistence.flush().then(
        () => end(...args),
        () => {
          // Not saved, so not acknowledged: the client may try again.
          if (res.headersSent) return res.destroy();
          res.removeHeader('content-length');
          res.status(503).type('application/json');
          end(
            JSON.stringify({
              error: 'temporarily_unavailable',
              error_description: 'the change could not be saved',
            }),
          );
        },
      );
      return res;
    }) as Response['end'];
    next();
  };
}
