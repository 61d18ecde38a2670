/**
 * The floor under any token endpoint here: a server in its own process that reads a refresh grant's form and answers
 * it with two RS256 JWTs (signed with node:crypto on the thread pool, as the mock signs under load) and nothing else:
 * no client authentication, no store, no journal. On bare node:http, it is what a server that did no more than its
 * signatures and its HTTP could reach on this machine; through Express (its router and form parser, with helmet's
 * headers, as the mock has them), what an Express token endpoint could reach, with the same load generator.
 */
import { repositoryRoot, startCommand } from '../harness/index.ts';

const program = (framework: 'node:http' | 'express') => `
const { generateKeyPairSync, sign, randomBytes } = require('node:crypto');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jws = (payload) => new Promise((resolve, reject) => {
  const input = part({ alg: 'RS256', kid: 'k', typ: 'JWT' }) + '.' + part(payload);
  sign('sha256', Buffer.from(input), privateKey, (error, signature) =>
    error ? reject(error) : resolve(input + '.' + signature.toString('base64url')));
});
const answer = async (grantType) => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'http://127.0.0.1/identity', aud: 'api', client_id: 'c', sub: 'u', iat: now, nbf: now,
    exp: now + 3600, scope: ['openid', 'offline_access'], jti: randomBytes(16).toString('hex') };
  const accessToken = await jws(claims);
  const idToken = await jws({ ...claims, aud: 'c', grant: grantType });
  return { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600,
    refresh_token: randomBytes(32).toString('base64url') };
};
const listening = function () { console.log('listening ' + this.address().port); };
if (${JSON.stringify(framework)} === 'express') {
  const express = require('express');
  const app = express();
  app.use(require('helmet')());
  app.post('/connect/token', express.urlencoded({ extended: false }), async (req, res) => {
    res.set('cache-control', 'no-store').json(await answer(req.body.grant_type));
  });
  app.listen(0, '127.0.0.1', listening);
} else {
  require('node:http').createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', async () => {
      const json = JSON.stringify(await answer(new URLSearchParams(body).get('grant_type')));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(json);
    });
  }).listen(0, '127.0.0.1', listening);
}`;

export async function startSigningOnlyServer(
  framework: 'node:http' | 'express',
): Promise<{ url: string; pid: number | undefined; stop: () => Promise<unknown> }> {
  const child = startCommand(process.execPath, ['-e', program(framework)], repositoryRoot, {});
  const [, port] = await child.waitFor(/listening (\d+)/);
  return { url: `http://127.0.0.1:${port}/connect/token`, pid: child.child.pid, stop: () => child.stop() };
}

/** One refresh-shaped request: a form POST with Basic credentials, its JSON read. */
export async function signingOnlyRefresh(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: 'Basic Yzpz', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'a-refresh-token' }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`signing-only server: HTTP ${response.status}`);
}
