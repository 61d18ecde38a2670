/**
 * A minimal server-side web app around the independent relying party, so a real browser can run the hybrid
 * flow against the mock: /login starts it, /callback takes the form_post (and calls UserInfo), /profile answers
 * 200 to a signed-in browser only, with forms that refresh now and sign out; /logout also answers GET (it then
 * only sends the browser to end the session). Any of the RP's checks can be switched off: the relying-party plan
 * is proven on such weakened apps.
 */

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SeededHybridClient } from '../../harness/test-seed.ts';
import { IndependentRp, type RpCheck, type RpTokens, type Transaction } from './independent-rp.ts';

export interface RelyingPartyApp {
  origin: string;
  /** Call once the identity server is up (its issuer is only known then). */
  connect(issuer: string, client: SeededHybridClient, skipped?: ReadonlySet<RpCheck>): Promise<void>;
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cookieOf = (req: IncomingMessage, name: string) =>
  new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

export async function startRelyingPartyApp(host = 'localhost'): Promise<RelyingPartyApp> {
  let rp: IndependentRp | null = null;
  let client: SeededHybridClient | null = null;
  /** Sign-ins in progress, by the key in the browser's rp_tx cookie. */
  const transactions = new Map<string, Transaction>();
  const sessions = new Map<string, { tokens: RpTokens; subject: string }>();
  let lastIdToken = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(html);
    };
    const sessionKey = cookieOf(req, 'rp_session');
    const session = sessionKey ? sessions.get(sessionKey) : undefined;
    try {
      if (!rp || !client) return send(503, page('Not connected', ''));
      if (url.pathname === '/login') {
        const { url: authorizationUrl, transaction } = rp.beginSignIn();
        const key = randomBytes(16).toString('base64url');
        transactions.set(key, transaction);
        return send(302, '', {
          location: authorizationUrl,
          'set-cookie': `rp_tx=${key}; Path=/; HttpOnly; SameSite=None; Secure`,
        });
      }
      if (url.pathname === '/callback' && req.method === 'POST') {
        const fields = await readForm(req);
        if (fields.error) {
          if (rp.skipped.has('form-post-error')) throw new Error(`unhandled ${fields.error}`);
          return send(400, page('Sign-in failed', `<p id="error">${escapeHtml(fields.error)}</p>`));
        }
        const key = cookieOf(req, 'rp_tx') ?? '';
        const transaction = transactions.get(key);
        if (!transaction) return send(400, page('Unknown sign-in', ''));
        transactions.delete(key);
        const tokens = await rp.finishSignIn(fields, transaction);
        const subject = String(tokens.claims.sub);
        await rp.userInfo(tokens.accessToken, subject).catch((error: Error) => {
          // UserInfo that fails is done without; UserInfo for another user refuses the sign-in.
          if (error.message.includes('another user')) throw error;
        });
        lastIdToken = tokens.idToken;
        const id = randomBytes(16).toString('base64url');
        sessions.set(id, { tokens, subject });
        return send(303, '', {
          location: '/profile',
          'set-cookie': `rp_session=${id}; Path=/; HttpOnly; SameSite=Lax`,
        });
      }
      if (url.pathname === '/profile') {
        if (!session) return send(303, '', { location: '/login' });
        return send(
          200,
          page(
            'Signed in',
            `<p id="subject">${escapeHtml(session.subject)}</p>
<form method="post" action="/refresh"><button>Refresh now</button></form>
<form method="post" action="/logout"><button>Sign out</button></form>`,
          ),
        );
      }
      if (url.pathname === '/refresh' && req.method === 'POST') {
        if (!session?.tokens.refreshToken) return send(401, page('Sign in first', ''));
        const tokens = await rp.refresh(session.tokens.refreshToken, session.subject);
        session.tokens = tokens;
        session.subject = String(tokens.claims.sub);
        return send(303, '', { location: '/profile' });
      }
      if (url.pathname === '/logout') {
        if (session && sessionKey) {
          sessions.delete(sessionKey);
          if (session.tokens.refreshToken) await rp.revoke(session.tokens.refreshToken);
        }
        return send(302, '', {
          location: rp.endSessionUrl(
            session?.tokens.idToken ?? lastIdToken,
            client.postLogoutRedirectUri,
            'bye-state',
          ),
          'set-cookie': 'rp_session=; Path=/; Max-Age=0',
        });
      }
      if (url.pathname === '/signed-out') {
        return send(
          200,
          page(
            'Signed out of the app',
            `<p id="state">${escapeHtml(url.searchParams.get('state') ?? '')}</p>`,
          ),
        );
      }
      send(404, page('Not found', ''));
    } catch (error) {
      // A weakened app that lets an error through shows what careless apps show: the stack.
      const shown = rp?.skipped.has('form-post-error')
        ? ((error as Error).stack ?? '')
        : (error as Error).message;
      send(400, page('Sign-in failed', `<pre id="error">${escapeHtml(shown)}</pre>`));
    }
  });
  server.listen(0, host === 'localhost' ? '127.0.0.1' : host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://${host}:${port}`,
    async connect(issuer, seededClient, skipped) {
      client = seededClient;
      rp = await IndependentRp.discover(issuer, seededClient, skipped);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
