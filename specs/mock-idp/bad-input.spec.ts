/**
 * Every malformed or hostile request gets a standard error: JSON `error` on the back channel, a readable page in
 * the browser, a 4xx status, never a 5xx, a hang, or a redirect to an unregistered URI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { offlineClient, tenant } from '../../harness/test-seed.ts';
import { sendRaw } from '../support/fuzz.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

interface Case {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  kind: 'json-error' | 'page' | 'any';
  error?: string;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = {
  authorization: `Basic ${Buffer.from(`${offlineClient.id}:${offlineClient.secret}`).toString('base64')}`,
};
const huge = `grant_type=authorization_code&code=${'x'.repeat(64 * 1024)}`;

const cases: Case[] = [
  {
    name: 'token: JSON instead of a form',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { 'content-type': 'application/json', ...basic },
    body: '{"grant_type":"client_credentials"}',
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'token: no body at all',
    method: 'POST',
    path: '/identity/connect/token',
    headers: basic,
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'token: body over the size limit',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: huge,
    status: 413,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'token: broken JSON-looking form',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: '%%%&&&===',
    status: 400,
    kind: 'json-error',
    error: 'unsupported_grant_type',
  },
  {
    name: 'token: repeated grant_type',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: 'grant_type=refresh_token&grant_type=authorization_code',
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'token: unknown grant_type',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: 'grant_type=password&username=a&password=b',
    status: 400,
    kind: 'json-error',
    error: 'unsupported_grant_type',
  },
  {
    name: '[#token-endpoint-errors] token: missing grant_type (IdentityServer: unsupported_grant_type)',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: 'code=abc',
    status: 400,
    kind: 'json-error',
    error: 'unsupported_grant_type',
  },
  {
    name: 'token: too many parameters',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, ...basic },
    body: Array.from({ length: 500 }, (_, i) => `p${i}=1`).join('&'),
    status: 413,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: '[#token-endpoint-errors] token: GET (IdentityServer: invalid_request)',
    path: '/identity/connect/token',
    headers: { accept: 'application/json' },
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'token: Bearer instead of Basic',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, authorization: 'Bearer abc' },
    body: 'grant_type=client_credentials',
    status: 400,
    kind: 'json-error',
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with no colon',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
    body: 'grant_type=client_credentials',
    status: 400,
    kind: 'json-error',
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with bad percent-encoding',
    method: 'POST',
    path: '/identity/connect/token',
    headers: { ...form, authorization: `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}` },
    body: 'grant_type=client_credentials',
    status: 400,
    kind: 'json-error',
    error: 'invalid_client',
  },
  {
    name: 'userinfo: "Bearer" with no token',
    path: '/identity/connect/userinfo',
    headers: { authorization: 'Bearer' },
    status: 401,
    kind: 'json-error',
    error: 'invalid_token',
  },
  {
    name: 'userinfo: a token with spaces',
    path: '/identity/connect/userinfo',
    headers: { authorization: 'Bearer a b c' },
    status: 401,
    kind: 'json-error',
    error: 'invalid_token',
  },
  {
    name: '[#revocation-errors] revocation: JSON body (IdentityServer: 415, no body)',
    method: 'POST',
    path: '/identity/connect/revocation',
    headers: { 'content-type': 'application/json', ...basic },
    body: '{}',
    status: 415,
    kind: 'any',
  },
  {
    name: '[#revocation-errors] revocation: GET (IdentityServer: 405, no body)',
    path: '/identity/connect/revocation',
    status: 405,
    kind: 'any',
  },
  {
    name: '[#revocation-errors] revocation: an unknown token_type_hint (IdentityServer: unsupported_token_type)',
    method: 'POST',
    path: '/identity/connect/revocation',
    headers: { ...form, ...basic },
    body: 'token=abc&token_type_hint=id_token',
    status: 400,
    kind: 'json-error',
    error: 'unsupported_token_type',
  },
  { name: 'authorize: no parameters', path: '/identity/connect/authorize', status: 400, kind: 'page' },
  {
    name: 'authorize: bracketed parameter names',
    path: `/identity/connect/authorize?client_id[]=${offlineClient.id}`,
    status: 400,
    kind: 'page',
  },
  {
    name: 'authorize: repeated client_id',
    path: `/identity/connect/authorize?client_id=${offlineClient.id}&client_id=x`,
    status: 400,
    kind: 'page',
  },
  {
    name: 'authorize: bad percent-encoding in the query',
    path: '/identity/connect/authorize?client_id=%E0%A4%A&redirect_uri=%',
    status: 400,
    kind: 'page',
  },
  {
    name: 'authorize: POST body over the size limit',
    method: 'POST',
    path: '/identity/connect/authorize',
    headers: form,
    body: huge,
    status: 413,
    kind: 'page',
  },
  {
    name: 'authorize: javascript: redirect_uri',
    path: `/identity/connect/authorize?client_id=${offlineClient.id}&redirect_uri=javascript:alert(1)`,
    status: 400,
    kind: 'page',
  },
  { name: 'login: no ticket', path: '/identity/account/login', status: 400, kind: 'page' },
  {
    name: 'login: POST with repeated fields',
    method: 'POST',
    path: '/identity/account/login',
    headers: form,
    body: 'ticket=a&ticket=b&email=x',
    status: 400,
    kind: 'page',
  },
  {
    name: 'end session: repeated parameters',
    path: '/identity/connect/endsession?id_token_hint=a&id_token_hint=b&post_logout_redirect_uri=https://attacker.example',
    status: 200,
    kind: 'page',
  },
  {
    name: 'end session: hostile post_logout_redirect_uri without hint',
    path: '/identity/connect/endsession?post_logout_redirect_uri=https://attacker.example/',
    status: 200,
    kind: 'page',
  },
  {
    name: 'assets: path traversal',
    path: '/identity/assets/..%2f..%2fpackage.json',
    status: 403,
    kind: 'any',
  },
  {
    name: 'data API: bad percent-encoding in the path',
    path: '/api/v1/Tenants/%E0%A4%A/Namespaces',
    headers: { accept: 'application/json' },
    status: 400,
    kind: 'any',
  },
  {
    name: 'data API: unknown tenant route',
    path: `/api/v1/Tenants/${tenant.id}/Streams`,
    headers: { accept: 'application/json' },
    status: 404,
    kind: 'json-error',
  },
  {
    name: 'unknown path from a browser',
    path: '/nothing-here',
    headers: { accept: 'text/html' },
    status: 404,
    kind: 'page',
  },
  {
    name: 'test controls: advance by a negative time',
    method: 'POST',
    path: '/__mock__/clock/advance',
    headers: { 'content-type': 'application/json' },
    body: '{"seconds":-5}',
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'test controls: a form post (what a web page can send cross-site) [#test-controls-own-callers]',
    method: 'POST',
    path: '/__mock__/clock/advance',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'seconds=315360000',
    status: 415,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'test controls: a JSON post from another origin [#test-controls-own-callers]',
    method: 'POST',
    path: '/__mock__/keys/rotate',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: '{}',
    status: 403,
    kind: 'json-error',
    error: 'invalid_request',
  },
  {
    name: 'test controls: malformed JSON',
    method: 'POST',
    path: '/__mock__/clock/advance',
    headers: { 'content-type': 'application/json' },
    body: '{"seconds":',
    status: 400,
    kind: 'json-error',
    error: 'invalid_request',
  },
];

describe('bad input gets a standard 4xx answer', () => {
  it.each(cases)('$name -> $status', async (testCase) => {
    const response = await fetch(idp.origin + testCase.path, {
      method: testCase.method ?? 'GET',
      headers: testCase.headers ?? {},
      body: testCase.body ?? null,
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    expect(response.status).toBe(testCase.status);
    expect(response.headers.get('location')).toBeNull();
    if (testCase.kind === 'json-error') {
      const body = JSON.parse(text);
      // IdentityServer's token and revocation endpoints answer with the error code alone.
      if (/\/connect\/(token|revocation)$/.test(testCase.path)) {
        expect(body).toEqual({ error: testCase.error ?? expect.any(String) });
      } else {
        expect(body).toMatchObject({
          error: testCase.error ?? expect.any(String),
          error_description: expect.any(String),
        });
      }
    }
    if (testCase.kind === 'page') {
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(text).not.toMatch(/at .+\.ts:\d+/);
      expect(text).not.toContain('attacker.example');
    }
  });
});

describe('test controls answer their own callers only', () => {
  it('[#test-controls-own-callers] refuses a request whose Host is another name (DNS rebinding), and leaves the clock alone', async () => {
    const before = (await (await fetch(`${idp.origin}/__mock__/clock`)).json()).epochSeconds as number;
    const body = '{"seconds":315360000}';
    const answer = await sendRaw(
      idp.origin,
      `POST /__mock__/clock/advance HTTP/1.1\r\nHost: rebound.evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    const after = (await (await fetch(`${idp.origin}/__mock__/clock`)).json()).epochSeconds as number;
    expect(after - before).toBeLessThan(60);
  });
});
