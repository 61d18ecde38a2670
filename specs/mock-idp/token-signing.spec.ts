/**
 * How the mock signs its tokens: with node:crypto, on the event loop's thread while a request is alone and on the
 * thread pool while others are in progress (docs/performance.md has the figures). Either way a token is byte for
 * byte the one jose's SignJWT makes with the same key, so nothing a client verifies can change.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { offlineClient } from '../../harness/test-seed.ts';
import { RequestsInProgress } from '../../mock-idp/src/http/requests-in-progress.ts';
import { SigningKeys } from '../../mock-idp/src/keys/signing-keys.ts';

const payloads = [
  { iss: 'https://idp.example/identity', sub: 'u-1', aud: 'c-1', iat: 1_700_000_000, exp: 1_700_000_300 },
  // Non-ASCII text, arrays, nesting and numbers: what JSON serialisation could get wrong.
  { name: 'Zoë Ångström 😀', scope: ['openid', 'ocsapi'], nested: { a: [1, 2.5, null] }, empty: '' },
];

describe('signing a token', () => {
  for (const thread of ['inline', 'thread-pool'] as const) {
    it(`makes the bytes jose makes with the same key, signed ${thread}`, async () => {
      const keys = await SigningKeys.generate(() => thread);
      const { kid, key } = keys.currentSigningKey();
      for (const payload of payloads) {
        for (const typ of ['JWT', 'at+jwt'] as const) {
          const token = await keys.sign(payload, typ);
          const byJose = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ }).sign(key);
          expect(token).toBe(byJose);
          const verified = await jwtVerify(token, keys.verificationKeys, {
            typ,
            currentDate: new Date(1_700_000_100_000),
          });
          expect(verified.payload).toEqual(payload);
        }
      }
    });
  }
});

describe('counting the requests in progress', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('counts a request from its arrival to its close, answered or abandoned, and signs on the pool only while others wait', async () => {
    const inProgress = new RequestsInProgress();
    const held: ServerResponse[] = [];
    const arrived = new EventTarget();
    const server = createServer(
      inProgress.counting((_request, response) => {
        held.push(response);
        arrived.dispatchEvent(new Event('request'));
      }),
    );
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const send = () => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/' });
      request.on('error', () => {});
      request.end();
      return request;
    };
    const arrivals = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => held.length >= count && resolve();
        arrived.addEventListener('request', check);
        check();
      });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

    expect(inProgress.signingThread()).toBe('inline');
    send();
    await arrivals(1);
    expect(inProgress.count).toBe(1);
    expect(inProgress.signingThread()).toBe('inline');

    const abandoned = send();
    send();
    await arrivals(3);
    expect(inProgress.count).toBe(3);
    expect(inProgress.signingThread()).toBe('thread-pool');

    held[0]?.end('done');
    abandoned.destroy();
    await settle();
    expect(inProgress.count).toBe(1);
    expect(inProgress.signingThread()).toBe('inline');

    held[2]?.end('done');
    await settle();
    expect(inProgress.count).toBe(0);
  });
});

describe('the running mock', () => {
  let idp: TestIdp | undefined;
  afterEach(async () => {
    await idp?.dispose();
    idp = undefined;
  });

  it('signs inline for a request alone, on the thread pool when many arrive at once, and inline again after them', async () => {
    idp = await startTestIdp();
    const running = idp;
    const refreshTokens = await Promise.all(
      Array.from({ length: 8 }, async () => (await signInForTokens(running)).tokens.refresh_token as string),
    );

    const made = running.context.keys.signaturesMade;
    const since = (before: typeof made) => ({
      inline: made.inline - before.inline,
      threadPool: made['thread-pool'] - before['thread-pool'],
    });

    let before = { ...made };
    await signInForTokens(running);
    expect(since(before)).toEqual({ inline: 3, threadPool: 0 });

    before = { ...made };
    const answers = await Promise.all(
      refreshTokens.map((refreshToken) =>
        tokenRequest(running, { grant_type: 'refresh_token', refresh_token: refreshToken }, offlineClient),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(refreshTokens.map(() => 200));
    expect(since(before).inline + since(before).threadPool).toBe(2 * refreshTokens.length);
    expect(since(before).threadPool).toBeGreaterThan(0);

    before = { ...made };
    await signInForTokens(running);
    expect(since(before)).toEqual({ inline: 3, threadPool: 0 });
  });
});
