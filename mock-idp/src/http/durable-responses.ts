/**
 * Holds back a response until the changes made while handling it are on disk: a code, a refresh token, a client
 * or a secret the identity server has handed out is never lost to a crash that follows. The response is held at
 * res.end, the way express-session holds it to save a session; concurrent requests share one disk write.
 */
import type { RequestHandler, Response } from 'express';
import type { IdpStore } from '../store/idp-store.ts';

export function durableResponses(store: IdpStore, saved: () => Promise<void>): RequestHandler {
  return (_req, res, next) => {
    const before = store.changeCount;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (store.changeCount === before) return end(...args);
      saved().then(
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
