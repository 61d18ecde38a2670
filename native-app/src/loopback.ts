/**
 * The loopback redirect (RFC 8252 §7.3): for one browser visit, the app listens on 127.0.0.1 at the registered port
 * and path, takes what the identity server sends there, and shows "you can close this window" (never a token).
 * A sign-in answer arrives as a form_post: the browser POSTs the code and id_token, which a server can read. (A
 * fragment answer, the hybrid flow's default, stays in the browser: nothing sent to a server carries it.)
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export class LoopbackError extends Error {}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

const maxBodyBytes = 64 * 1024;

async function formBody(request: IncomingMessage): Promise<URLSearchParams | null> {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return null;
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > maxBodyBytes) return null;
  }
  return new URLSearchParams(body);
}

/**
 * The short local address the app prints and opens, which redirects the browser to the identity server: on a path
 * nobody can guess and good for one visit, because the request behind it (state, nonce, PKCE challenge; a sign-out's
 * id_token hint) is for the user at this terminal only, not for any program that can reach 127.0.0.1.
 */
const newStartAddress = (address: URL) =>
  new URL(`/start/${randomBytes(24).toString('base64url')}`, address.origin);

/**
 * Listens at `address` (http://127.0.0.1:{port}/{path}) until a visit that `belongs` arrives by `method`, or the time
 * is up, and resolves with its parameters (a form_post's body, or a redirect's query). A visit that does not belong
 * (another sign-in's state) is answered and waited past: it cannot end this one. Meanwhile the start address
 * (given to `listening`) redirects to `destination` once. Only requests for 127.0.0.1:{port} itself are served.
 */
export async function awaitLoopbackVisit(
  address: URL,
  destination: URL,
  method: 'POST' | 'GET',
  timeoutSeconds: number,
  belongs: (params: URLSearchParams) => boolean,
  listening: (start: URL) => void = () => {},
): Promise<URLSearchParams> {
  const start = newStartAddress(address);
  let started = false;
  let settle: (result: URLSearchParams | Error) => void = () => {};
  const visited = new Promise<URLSearchParams | Error>((resolve) => {
    settle = resolve;
  });
  const answer = (response: ServerResponse, status: number, title: string, text: string) => {
    response.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
      'referrer-policy': 'no-referrer',
    });
    response.end(page(title, text));
  };
  const server = createServer(async (request, response) => {
    // Another Host is a page of another site that resolved its name to 127.0.0.1 (DNS rebinding).
    if (request.headers.host !== address.host)
      return answer(response, 400, 'Not expected', 'This address serves 127.0.0.1 only.');
    const url = new URL(request.url ?? '/', address);
    if (request.method === 'GET' && url.pathname === start.pathname && !started) {
      started = true;
      response.writeHead(303, {
        location: destination.href,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      return response.end();
    }
    if (url.pathname !== address.pathname) return answer(response, 404, 'Not found', 'Nothing here.');
    if (request.method !== method)
      return answer(
        response,
        405,
        'Not expected',
        `This address takes the identity server's ${method} only.`,
      );
    const params = method === 'POST' ? await formBody(request) : url.searchParams;
    if (!params) return answer(response, 400, 'Not expected', 'The answer was not a form the app can read.');
    if (!belongs(params))
      return answer(
        response,
        400,
        'Not this sign-in',
        'This answer is not for the sign-in the app is waiting for.',
      );
    answer(response, 200, 'You can close this window', 'Go back to the app: it has what it needs.');
    settle(params);
  });
  server.listen(Number(address.port), '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new LoopbackError(
        `port ${address.port} on 127.0.0.1 is in use by another program; the app must listen there, because the ` +
          'client registers that exact address: stop the other program, or register another port and set REDIRECT_URI',
      );
    throw error;
  }
  listening(start);
  const timer = setTimeout(
    () =>
      settle(new LoopbackError(`no answer from the browser within ${timeoutSeconds} s; run the app again`)),
    timeoutSeconds * 1000,
  );
  try {
    const result = await visited;
    if (result instanceof Error) throw result;
    return result;
  } finally {
    clearTimeout(timer);
    // Stops listening; the page just sent finishes first, then its idle connection is closed.
    server.close();
    server.closeIdleConnections();
  }
}
