/**
 * Security headers for every response: a strict Content-Security-Policy with a per-response nonce for the one
 * inline script (the form_post auto-submit), no framing (clickjacking) but of the authorization responses, no
 * Referer (codes and tokens never leak through it), and no MIME sniffing.
 */
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { pooledRandomBytes } from '../plumbing/random-pool.ts';

export function cspNonce(_req: Request, res: Response, next: NextFunction): void {
  res.locals.cspNonce = pooledRandomBytes(16).toString('base64');
  next();
}

export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: [(_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: false,
});

/**
 * The form_post page posts to the client's registered redirect URI, and the client may redirect from there to
 * anywhere of its own, so that one page carries no form-action limit (browsers apply it to redirects too). Nor a
 * framing limit: as IdentityServer4's AuthorizeResult, which sets a script policy and Referrer-Policy only, so an
 * app can sign in with prompt=none in a hidden iframe (silent renew). The page holds nothing to click.
 */
export const formPostContentSecurityPolicy = (nonce: string): string =>
  `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'`;
