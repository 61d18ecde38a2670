/**
 * Forms that change state (sign out, refresh now) carry the session's synchronizer token, and a browser that
 * says the post comes from another site is refused before the token is even read.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { constantTimeEquals } from './constant-time.ts';

export class CrossSiteRequestRefused extends Error {}

const formBody = express.urlencoded({ extended: false, limit: '4kb' });

export function protectFormPost(appOrigin: string) {
  const check = (req: Request, _res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin && origin !== appOrigin) || site === 'cross-site') {
      return next(new CrossSiteRequestRefused('the form was posted from another site'));
    }
    const presented = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!constantTimeEquals(req.session.csrfToken, presented)) {
      return next(new CrossSiteRequestRefused('the form is stale or did not come from this app'));
    }
    next();
  };
  return [formBody, check];
}
