/**
 * A minimal server-side web app around the independent relying party, so a real browser can run the hybrid
 * flow against the mock: /login starts it, /callback takes the form_post, /logout signs out.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SeededHybridClient } from '../../harness/test-seed.ts';
import { IndependentRp, type Transaction } from './independent-rp.ts';

export interface RelyingPartyApp {
  origin: string;
  /** Call once the identity server is up (its issuer is only known then). */
  connect(issuer: string, client: SeededHybridClient): Promise<void>;
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

export async function startRelyingPartyApp(host = 'localhost'): Promise<RelyingPartyApp> {
  let rp: IndependentRp | null = null;
  let client: SeededHybridClient | null = null;
  const transactions = new Map<string, Transaction>();
  let lastIdToken = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(html);
    };
    try {
      if (!rp || !client) return send(503, page('Not connected', ''));
      if (url.pathname === '/login') {
        const { url: authorizationUrl, transaction } = rp.beginSignIn();
        transactions.set(transaction.state, transaction);
        return send(302, '', { location: authorizationUrl });
      }
      if (url.pathname === '/callback' && req.method === 'POST') {
        const fields = await readForm(req);
        if (fields.error)
          return send(400, page('Sign-in failed', `<p id="error">${escapeHtml(fields.error)}</p>`));
        const transaction = transactions.get(fields.state ?? '');
        if (!transaction) return send(400, page('Unknown state', ''));
        transactions.delete(transaction.state);
        const tokens = await rp.finishSignIn(fields, transaction);
        lastIdToken = tokens.idToken;
        return send(200, page('Signed in', `<p id="subject">${escapeHtml(String(tokens.claims.sub))}</p>`));
      }
      if (url.pathname === '/logout') {
        return send(302, '', {
          location: rp.endSessionUrl(lastIdToken, client.postLogoutRedirectUri, 'bye-state'),
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
      send(400, page('Sign-in failed', `<p id="error">${escapeHtml((error as Error).message)}</p>`));
    }
  });
  server.listen(0, host === 'localhost' ? '127.0.0.1' : host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://${host}:${port}`,
    async connect(issuer, seededClient) {
      client = seededClient;
      rp = await IndependentRp.discover(issuer, seededClient);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
