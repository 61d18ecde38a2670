/**
 * Hostile HTTP for the fuzz specs: fast-check arbitraries that build requests from a server's own vocabulary
 * (paths, parameter names, valid values it knows) mixed with malformed, oversized and attacking values, and the
 * checks every answer must pass: no 5xx, no hang, no redirect or form_post outside what is registered, and no
 * known secret or token in a page or a log line.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { vi } from 'vitest';

export interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: string | null;
}

export interface FuzzAnswer {
  status: number;
  location: string | null;
  body: string;
}

/** Values that have broken servers before: injection, traversal, encodings, sizes, look-alike URLs. */
const attacks = [
  '',
  ' ',
  'null',
  'undefined',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(40),
  'true',
  '%',
  '%00',
  '%E0%A4%A',
  '\u0000',
  '\uFFFF',
  '\uD800',
  'é🙂',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally.
  '${7*7}',
  '<%= 7*7 %>',
  '__proto__',
  'constructor',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '//evil.example',
  '/\\evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e%2e//evil.example',
  '/./\\evil.example',
  '/a/..//evil.example?q',
  'https://evil.example/callback',
  'https://evil.example@localhost/',
  'http://localhost:3000/callback/../evil',
  'http://localhost:3000/callback?x=1',
  'http://localhost:3000/callback#frag',
  'HTTP://LOCALHOST:3000/callback',
  'https://app.example.com/callback/',
  'https://app.example.com/callback.evil.example',
  'Basic ',
  'Bearer ',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
  'a'.repeat(5000),
  'x'.repeat(70_000),
];

/**
 * Paths that look like this app's but may normalise into another site's: a start, dot segments (plain and
 * percent-encoded, any case), then separators (/, \\, tabs) before a host. "/.//evil.example" becomes "//evil.example"
 * once a URL parser has removed its dot segments.
 */
export const dotSegmentPath: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('/', '/a/', '/profile/'),
    fc.array(fc.constantFrom('.', '..', '%2e', '%2E', '%2e%2e', '%2E%2e', '.%2e', 'a/..', '%2e/'), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(fc.constantFrom('/', '\\', '%2f', '%5c', '\t', '/\t'), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('evil.example', 'evil.example/path?q=1', 'localhost.evil.example', '@evil.example'),
  )
  .map(([start, dots, separators, host]) => `${start}${dots.join('/')}${separators.join('')}${host}`);

export const hostileString = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: fc.constantFrom(...attacks) },
    { weight: 2, arbitrary: fc.string({ maxLength: 64, unit: 'binary' }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...known), fc.nat()).map(([value, index]) => variant(value, index)),
    },
  );

/** Near misses of a valid value: what exact matching must refuse (a longer URI, another case, a lost byte). */
const variants = [
  (value: string) => `${value}x`,
  (value: string) => value.slice(0, -1),
  (value: string) => value.slice(1),
  (value: string) => value.toUpperCase(),
  (value: string) => `${value}/`,
  (value: string) => `${value}.evil.example`,
  (value: string) => `${value}/../evil`,
  (value: string) => `${value}?x=1`,
  (value: string) => `${value}#x`,
  (value: string) => `${value}%00`,
  (value: string) => `${value} ${value}`,
  (value: string) => value.replace(/^https?:\/\//, 'https://evil.example@'),
];
const variant = (value: string, index: number) =>
  (variants[index % variants.length] as (value: string) => string)(value);

const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '').slice(0, 8000);

export interface Vocabulary {
  paths: readonly string[];
  parameterNames: readonly string[];
  /** Valid values the server knows (client ids, registered URIs, tokens): they lead deeper into its code. */
  knownValues: readonly string[];
  cookies: readonly string[];
  /** Authorization header values that are valid somewhere (client credentials, bearer tokens). */
  authorizations: readonly string[];
  /** Valid requests (a complete authorize request, a code exchange...): mutated, they reach the deepest checks. */
  templates: readonly FuzzRequest[];
}

/**
 * fast-check's settings for a property of `runs` runs. Each run draws a new seed, so CI keeps finding new cases;
 * a failure prints its seed, and FUZZ_SEED=<seed> replays it.
 */
export const fuzzRuns = (runs: number): fc.Parameters<unknown> => ({
  numRuns: runs,
  endOnFailure: true,
  ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }),
});

/** A template request: a form POST with these fields. */
export const formPost = (
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): FuzzRequest => ({
  method: 'POST',
  path,
  query: [],
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

/** A template request: a GET with this query. */
export const getRequest = (
  path: string,
  query: [string, string][] = [],
  headers: Record<string, string> = {},
): FuzzRequest => ({
  method: 'GET',
  path,
  query,
  headers,
  body: null,
});

/** Valid requests with one to three things changed, or requests made up from the vocabulary. */
export function fuzzRequest(vocabulary: Vocabulary): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 3, arbitrary: mutatedTemplate(vocabulary) },
    { weight: 2, arbitrary: madeUpRequest(vocabulary) },
  );
}

type Mutation = { kind: string; position: number; name: string; value: string };

function mutatedTemplate(vocabulary: Vocabulary): fc.Arbitrary<FuzzRequest> {
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom(
      'near-miss',
      'near-miss',
      'near-miss',
      'set',
      'set',
      'set',
      'remove',
      'add',
      'duplicate',
      'method',
      'header',
      'drop-header',
    ),
    position: fc.nat(),
    name: fc.constantFrom(...vocabulary.parameterNames),
    value: hostileString(vocabulary.knownValues),
  });
  return fc
    .tuple(fc.constantFrom(...vocabulary.templates), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([template, mutations]) => mutations.reduce(mutate, structuredClone(template)));
}

/** Applies one change to the query, or to the form body when the request has one. */
function mutate(request: FuzzRequest, { kind, position, name, value }: Mutation): FuzzRequest {
  const form = request.body === null ? null : new URLSearchParams(request.body);
  const pairs: [string, string][] =
    form && request.headers['content-type']?.includes('urlencoded') ? [...form] : request.query;
  const at = pairs.length > 0 ? position % pairs.length : 0;
  const target = pairs[at];
  if (kind === 'near-miss' && target) target[1] = variant(target[1], position);
  else if (kind === 'set' && target) target[1] = value;
  else if (kind === 'remove' && target) pairs.splice(at, 1);
  else if (kind === 'duplicate' && target) pairs.push([target[0], value]);
  else if (kind === 'method') request.method = ['GET', 'POST', 'PUT', 'DELETE'][position % 4] as string;
  else if (kind === 'header')
    request.headers[['authorization', 'cookie', 'origin'][position % 3] as string] = headerSafe(value);
  else if (kind === 'drop-header') delete request.headers[Object.keys(request.headers)[at] ?? ''];
  else pairs.push([name, value]);
  if (pairs !== request.query) request.body = new URLSearchParams(pairs).toString();
  return request;
}

function madeUpRequest(vocabulary: Vocabulary): fc.Arbitrary<FuzzRequest> {
  const value = hostileString(vocabulary.knownValues);
  const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...vocabulary.parameterNames), value), value), {
    maxLength: 8,
  });
  const formBody = pairs.map((entries) => new URLSearchParams(entries).toString());
  const jsonBody = fc.oneof(
    pairs.map((entries) => JSON.stringify(Object.fromEntries(entries))),
    fc.json({ maxDepth: 3 }),
    fc.constantFrom('{', '{"a":', '[1,2', '"', 'nul', '{"__proto__":{"polluted":true}}'),
  );
  return fc.record({
    method: fc.constantFrom(
      'GET',
      'GET',
      'GET',
      'POST',
      'POST',
      'POST',
      'PUT',
      'DELETE',
      'HEAD',
      'OPTIONS',
      'PATCH',
    ),
    path: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...vocabulary.paths) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...vocabulary.paths), value)
          .map(([path, tail]) => `${path}/${encodeURIComponent(Buffer.from(tail.slice(0, 300)).toString())}`),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom('/', '//evil.example/', '/%2e%2e/', '/..;/', '/%00', '/a/../../'),
      },
    ),
    query: pairs,
    headers: fc.record(
      {
        'content-type': fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded; charset=utf-16',
          'garbage',
        ),
        authorization: fc.oneof(
          fc.constantFrom(...vocabulary.authorizations),
          fc
            .tuple(fc.constantFrom('Basic ', 'Bearer ', ''), value)
            .map(([scheme, text]) => headerSafe(scheme + text)),
        ),
        cookie: fc.oneof(fc.constantFrom(...vocabulary.cookies), value).map(headerSafe),
        accept: fc.constantFrom('text/html', 'application/json', '*/*', 'image/png'),
        origin: fc.constantFrom('https://evil.example', 'null', 'http://localhost:3000'),
      },
      { requiredKeys: [] },
    ),
    body: fc.oneof(fc.constant(null), formBody, jsonBody),
  });
}

/** Sends a request without following redirects; a server that takes longer than `timeoutMs` has hung. */
export async function send(base: string, request: FuzzRequest, timeoutMs = 10_000): Promise<FuzzAnswer> {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${request.path}`;
  for (const [name, value] of request.query) url.searchParams.append(name, value);
  const hasBody = request.body !== null && !['GET', 'HEAD'].includes(request.method);
  const response = await fetch(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : null,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new Error(
      `no answer to ${request.method} ${url.pathname} within ${timeoutMs} ms: ${String(error)}`,
    );
  });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

/**
 * Bytes that are not HTTP at all, straight onto a socket: the server must answer 4xx or close, and live on. Made on
 * demand: fast-check's binary strings cost about a second of CPU to set up, which every spec importing this module
 * (and every test worker) would otherwise pay.
 */
export const rawGarbage = () =>
  fc.oneof(
    fc.string({ maxLength: 2000, unit: 'binary' }),
    fc.constantFrom(
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: x\r\nX: ${'b'.repeat(20_000)}\r\n\r\n`,
      'GET / HTTP/9.9\r\n\r\n',
      '\r\n\r\n\r\n',
    ),
  );

export function sendRaw(origin: string, bytes: string, timeoutMs = 5_000): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, timeoutMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (
        (error as NodeJS.ErrnoException).code === 'ECONNRESET' ||
        (error as NodeJS.ErrnoException).code === 'EPIPE'
      )
        resolve(answer);
      else reject(error);
    });
    socket.end(Buffer.from(bytes, 'latin1'));
  });
}

/** Everything the server writes to the console while the fuzz runs. */
export function captureLogs(): { text: () => string; restore: () => void } {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(
        args
          .map((arg) => (arg instanceof Error ? `${arg.stack} ${String(arg.cause)}` : String(arg)))
          .join(' '),
      );
    }),
  );
  return {
    text: () => lines.join('\n'),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * What every answer must respect. `mayRedirectTo` says whether a redirect or a cross-origin form_post target is
 * allowed (registered, or the server itself); `secrets` must never appear in a page.
 */
export function problemsWith(
  request: FuzzRequest,
  answer: FuzzAnswer,
  rules: {
    mayRedirectTo: (target: URL) => boolean;
    base: string;
    secrets: () => readonly string[];
    /** A secret -> the one that, carried, entitles a request to it (a refresh token to its family's access token). */
    entitledBy?: ReadonlyMap<string, string>;
  },
): string[] {
  const problems: string[] = [];
  const what = `${request.method} ${request.path}`;
  if (answer.status >= 500) problems.push(`${what} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  if (answer.location !== null) {
    const target = new URL(answer.location, rules.base);
    if (!rules.mayRedirectTo(target)) problems.push(`${what} redirected to ${answer.location}`);
  }
  for (const [, action] of answer.body.matchAll(/<form[^>]*\baction="([^"]*)"/g)) {
    const target = new URL((action as string).replaceAll('&amp;', '&'), rules.base);
    if (!rules.mayRedirectTo(target)) problems.push(`${what} posts a form to ${action}`);
  }
  // A leak is a secret the request did not carry. A value the request itself sent may come back to it (a login
  // form shows the email it was given, a "not found" page names the path): the sender knew it already.
  const sent = carried(request);
  const entitled = (secret: string) => {
    const key = rules.entitledBy?.get(secret);
    return key !== undefined && sent.includes(key);
  };
  for (const secret of rules.secrets()) {
    if (answer.body.includes(secret) && !sent.includes(secret) && !entitled(secret))
      problems.push(`${what} shows a secret it was not sent (${secret.slice(0, 12)}…)`);
  }
  return problems;
}

/** Everything the request carried, as sent and decoded: path, query, body, headers, Basic credentials. */
function carried(request: FuzzRequest): string {
  const body = request.body ?? '';
  const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return [
    request.path,
    safeDecode(request.path),
    body,
    safeDecode(body),
    ...request.query.flat(),
    ...[...new URLSearchParams(body)].flat(),
    ...Object.values(request.headers),
    basic ? safeDecode(Buffer.from(basic, 'base64').toString()) : '',
  ].join('\n');
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** A redirect target equal to a registered URI, with only response parameters added. */
export const isRegisteredTarget = (target: URL, registered: readonly string[]) => {
  const bare = `${target.origin}${target.pathname}`;
  return registered.some((uri) => uri === bare || uri === target.href);
};

/**
 * Hostile requests per server: FUZZ_RUNS, else 100,000 under `npm run fuzz` (read from npm's own variable, as
 * Windows shells know no `VAR=value` prefix), else 1,000 in a test run.
 */
export const hostileRequestCount = Number(
  process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === 'fuzz' ? 100_000 : 1000),
);

/** A test's time limit that grows with FUZZ_RUNS: a 100,000-case run is allowed the time it needs. */
export const fuzzTimeLimit = (cases: number, msPerCase: number): number =>
  Math.max(120_000, cases * msPerCase);

export function tally(counts: Map<number, number>, status: number): void {
  counts.set(status, (counts.get(status) ?? 0) + 1);
}

export const describeTally = (counts: Map<number, number>) =>
  [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
