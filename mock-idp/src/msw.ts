/**
 * The mock identity server as msw request handlers: an application's unit tests get a realistic Data Hub
 * identity server (discovery, login page, tokens, userinfo, end session, the Data Hub API, the portal) with no
 * port and no browser. Requests to the origin are handed to the mock's Express app in-process.
 *
 *   import { setupServer } from 'msw/node';
 *   import { mockIdpHandlers } from '@hybrid-client-kit/mock-idp/msw';
 *   const { handlers, idp } = await mockIdpHandlers({ origin: 'https://idp.example.test' });
 *   setupServer(...handlers).listen();
 *   // issuer: https://idp.example.test/identity; idp.clock.advance(3600) to expire tokens
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Express } from 'express';
import { type HttpHandler, http } from 'msw';
import { createMockIdp, type MockIdp, type MockIdpSetup } from './server.ts';

export interface MockIdpHandlers {
  handlers: HttpHandler[];
  idp: MockIdp;
}

const withoutBody = new Set([204, 205, 304]);

export async function mockIdpHandlers(
  options: MockIdpSetup & { origin?: string } = {},
): Promise<MockIdpHandlers> {
  const origin = (options.origin ?? 'https://idp.example.test').replace(/\/$/, '');
  const idp = await createMockIdp(`${origin}/identity`, { dataDir: null, ...options });
  const handler = http.all(`${origin}/*`, async ({ request }) => {
    const answer = await dispatch(idp.app, request);
    const body =
      withoutBody.has(answer.status) || request.method === 'HEAD' ? null : new Uint8Array(answer.body);
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
  return { handlers: [handler], idp };
}

/**
 * Runs one request through the Express app on node:http's own request and response objects, without a network:
 * the response's writes are collected instead of going to a socket.
 */
async function dispatch(
  app: Express,
  request: Request,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const url = new URL(request.url);
  const socket = new Socket();
  // Express tells http from https by the socket; the origin decides here.
  Object.assign(socket, { encrypted: url.protocol === 'https:' });
  const req = new IncomingMessage(socket);
  req.method = request.method;
  req.url = url.pathname + url.search;
  req.headers = { ...Object.fromEntries(request.headers), host: url.host };
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? null : Buffer.from(await request.arrayBuffer());
  if (body?.length) req.headers['content-length'] = String(body.length);
  req.push(body);
  req.push(null);

  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    }
  };
  return new Promise((resolve, reject) => {
    res.write = ((chunk: unknown, encoding?: unknown, callback?: () => void) => {
      collect(chunk, encoding);
      (typeof encoding === 'function' ? encoding : callback)?.();
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.getHeaders())) {
        for (const item of Array.isArray(value) ? value : [value])
          if (item !== undefined) headers.append(name, String(item));
      }
      resolve({ status: res.statusCode, headers, body: Buffer.concat(chunks) });
      // As a response sent to a socket does: the request log writes its entry on 'finish'.
      res.emit('finish');
      res.emit('close');
      return res;
    }) as typeof res.end;
    // Express decorates node's own request and response objects: these are exactly what it gets from a server.
    app(req as Parameters<Express>[0], res as Parameters<Express>[1], (error: unknown) =>
      reject(error ?? new Error(`nothing answered ${request.method} ${url.pathname}`)),
    );
  });
}
