/**
 * The native app, run as a user runs it (`npm run native-app -- --no-browser`), against the mock: a browser (the
 * specs' own) signs in at the address it prints, the identity server's form_post reaches the app's loopback
 * address, and the app shows who signed in, lists the namespaces, refreshes, and signs out through the browser
 * again — printing no token. Its loopback port is a free one, registered for the native client in this spec's seed.
 */
// vitest: long-running

import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/kit.ts';
import { demoUser, nativeClient } from '../../harness/kit-seed.ts';
import {
  type NativeAppBench,
  nativeAppBench,
  printedAddress,
  signInUrlOf,
} from '../../harness/native-app.ts';
import { runNpmScript } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { loadConfig, mockDefaults } from '../../native-app/src/config.ts';

let bench: NativeAppBench;
let loopback: string;
beforeAll(async () => {
  bench = await nativeAppBench();
  loopback = bench.loopback;
});
afterAll(() => bench?.close());
// An app a failed spec left waiting for its browser would hold the loopback port for the next one.
afterEach(async () => {
  await bench.stopApps();
});

/** A client of a real tenant, as its portal gives it. */
const ownClient = {
  CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001',
  CLIENT_SECRET: 'a-secret-from-the-portal',
  TENANT_ID: 'c0ffee00-0000-4000-8000-000000000002',
  API_BASE_URL: 'https://idp.example',
};
describe('the native app', () => {
  it('[#native-loopback-form-post] signs in through the browser and its loopback address, lists namespaces, refreshes and signs out', async () => {
    const app = bench.start({}, ['--refresh']);
    const browser = new UserAgent();
    const { response } = await browser.signIn(await signInUrlOf(app, browser), demoUser);
    expect(response.action).toBe(`${loopback}/signin-oidc`);
    const delivered = await browser.request(response.action, { form: response.fields });
    expect(delivered.response.status).toBe(200);
    expect(delivered.body).toContain('You can close this window');

    // The second address the app prints (the sign-out's) redirects to the end-session endpoint.
    // It prints the address once it listens again (waiting for "Signing out" alone would race its listener).
    const signOut = await browser.request(await printedAddress(app, 2));
    const endSession = await browser.request(signOut.response.headers.get('location') as string);
    const back = endSession.response.headers.get('location') ?? '';
    expect(back.startsWith(`${loopback}/signout-callback-oidc?`)).toBe(true);
    expect((await browser.request(back)).response.status).toBe(200);

    expect(await app.exited).toBe(0);
    const output = app.output();
    expect(output).toContain(
      `Signed in: ${demoUser.name} (${demoUser.email}), tenant ${nativeClient.tenantId}`,
    );
    expect(output).toMatch(/Namespaces: .*production/);
    expect(output).toContain('Refreshed: the new access token expires in 60 minute(s)');
    expect(output).toContain('Signed out.');
    expect(output).not.toMatch(/eyJ[\w-]+\.eyJ/);
    // The refresh token was revoked at sign-out: nothing of this sign-in is left at the identity server.
    expect(bench.idp.context.store.refreshTokens.size).toBe(0);
  }, 60_000);

  it('says, in one line, that the sign-in was cancelled', async () => {
    const app = bench.start();
    const browser = new UserAgent();
    const login = await browser.navigate(await signInUrlOf(app, browser));
    const form = UserAgent.form(login.body);
    if (!form) throw new Error('no login form');
    const cancelled = await browser.navigate(new URL(form.action, login.url).href, {
      form: { ...form.fields, action: 'cancel' },
    });
    const answer = UserAgent.authorizationResponse(cancelled);
    await browser.request(answer.action, { form: answer.fields });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('native-app: the sign-in was cancelled in the browser (access_denied)');
  }, 60_000);

  it('[#native-fixed-port] names the port and what to do when another program holds it', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    const port = Number(new URL(loopback).port);
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const app = bench.start();
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`native-app: port ${port} on 127.0.0.1 is in use by another program`);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('refuses a wrong client secret with invalid_client, in one line', async () => {
    const app = bench.start({ CLIENT_SECRET: 'not-the-secret' });
    const browser = new UserAgent();
    const { response } = await browser.signIn(await signInUrlOf(app, browser), demoUser);
    await browser.request(response.action, { form: response.fields });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain(
      'native-app: the identity server did not accept the client id and secret (invalid_client)',
    );
  }, 60_000);
  it("[#native-loopback-private] refuses an answer that is not this sign-in's (state) and keeps waiting for the right one", async () => {
    const app = bench.start();
    const browser = new UserAgent();
    const { response } = await browser.signIn(await signInUrlOf(app, browser), demoUser);
    const forged = await browser.request(response.action, {
      form: { ...response.fields, state: 'another-sign-in' },
    });
    expect(forged.response.status).toBe(400);
    expect(forged.body).toContain('Not this sign-in');
    expect((await browser.request(response.action, { form: response.fields })).response.status).toBe(200);
    await app.waitFor(new RegExp(`Signed in: ${demoUser.name}`));
    // The sign-out through the browser ends the run (and revokes what the sign-in issued).
    const endSession = await browser.request(
      (await browser.request(await printedAddress(app, 2))).response.headers.get('location') as string,
    );
    await browser.request(endSession.response.headers.get('location') as string);
    expect(await app.exited).toBe(0);
  }, 60_000);

  it('[#native-loopback-private] serves its start once, on a path nobody can guess, and only for Host 127.0.0.1', async () => {
    const app = bench.start();
    const start = await printedAddress(app);
    expect(start).toMatch(new RegExp(`^${loopback}/start/[\\w-]{32}$`));
    expect((await fetch(`${loopback}/start`, { redirect: 'manual' })).status).toBe(404);
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(start);
      request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: { host: `evil.example:${url.port}` },
      })
        .on('response', (answer) => resolve(answer.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(400);
    const first = await fetch(start, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect((await fetch(start, { redirect: 'manual' })).status).toBe(404);
  }, 60_000);

  it('[#native-loopback-private] prints names without control characters', async () => {
    const name = 'Mallory \u001b[2J\u001b]0;owned\u0007\u202eName';
    const user = await bench.idp.users.create({
      email: 'mallory@example.com',
      password: 'mallory-password-1',
      name,
      tenantId: nativeClient.tenantId,
      roles: ['Tenant Member'],
    });
    const app = bench.start();
    const browser = new UserAgent();
    const { response } = await browser.signIn(await signInUrlOf(app, browser), {
      email: 'mallory@example.com',
      password: 'mallory-password-1',
    });
    await browser.request(response.action, { form: response.fields });
    await app.waitFor(/Signed in: /);
    expect(app.output()).toContain('Signed in: Mallory [2J]0;ownedName (mallory@example.com)');
    expect(app.output()).not.toMatch(/\p{Cf}|[^\P{Cc}\n\r\t]/u);
    await bench.idp.users.delete(user.id);
  }, 60_000);

  it('says, in one line, that the identity server cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/identity`;
    const app = bench.start({ ISSUER_URL: closed });
    expect(await app.exited).toBe(1);
    expect(app.output().trim()).toBe(`native-app: the identity server at ${closed} cannot be reached`);
  }, 60_000);

  it('gives up, in one line, when no browser comes back within the time limit', async () => {
    const app = bench.start({ SIGN_IN_TIMEOUT_SECONDS: '5' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('native-app: no answer from the browser within 5 s; run the app again');
  }, 60_000);
  it('--keep keeps the refresh token owner-only, the next run signs in with it and no browser, --forget revokes it', async () => {
    const first = bench.start({}, ['--keep']);
    const browser = new UserAgent();
    const { response } = await browser.signIn(await signInUrlOf(first, browser), demoUser);
    await browser.request(response.action, { form: response.fields });
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain(`Kept the sign-in for the next run in ${bench.tokenFile} (owner-only)`);
    expect((await stat(bench.tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(bench.tokenFile))).mode & 0o777).toBe(0o700);
    expect(first.output()).not.toContain('Signed out.');

    const second = bench.start({}, ['--keep']);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('Signed in with the kept refresh token');
    expect(second.output()).toMatch(/Namespaces: .*production/);
    expect(second.output()).not.toContain('Open this address');
    expect(bench.idp.context.store.refreshTokens.size).toBe(1);

    const forget = bench.start({}, ['--forget']);
    expect(await forget.exited).toBe(0);
    expect(forget.output()).toContain(
      'Forgot the kept sign-in: its refresh token is revoked and its file removed.',
    );
    expect(bench.idp.context.store.refreshTokens.size).toBe(0);
    await expect(stat(bench.tokenFile)).rejects.toThrow(/ENOENT/);
    for (const run of [first, second, forget]) expect(run.output()).not.toMatch(/eyJ[\w-]+\.eyJ/);
  }, 60_000);
  it('refreshes only when asked, or when the access token is about to expire', async () => {
    const client = bench.idp.context.administration.hybridClient(nativeClient.tenantId, nativeClient.id);
    const signInAndKeep = async () => {
      const app = bench.start({}, ['--keep']);
      const browser = new UserAgent();
      const { response } = await browser.signIn(await signInUrlOf(app, browser), demoUser);
      await browser.request(response.action, { form: response.fields });
      expect(await app.exited).toBe(0);
      return app.output();
    };
    expect(await signInAndKeep()).not.toContain('Refreshed');
    // A client whose access tokens live 60 s: less than a minute is left by the time the app uses it.
    bench.idp.context.administration.updateHybridClient(client.tenantId, client.id, {
      accessTokenLifetime: 60,
    });
    try {
      await bench.start({}, ['--forget']).exited;
      expect(await signInAndKeep()).toContain('Refreshed: the new access token expires in 1 minute(s)');
    } finally {
      bench.idp.context.administration.updateHybridClient(client.tenantId, client.id, {
        accessTokenLifetime: 3600,
      });
      await bench.start({}, ['--forget']).exited;
    }
  }, 60_000);
});

describe('the native app from the kit root', () => {
  it('[#native-command-line] takes its flags through npm run native-app, says what they are with --help, and refuses an unknown one (exit 2, one line)', async () => {
    const help = await runNpmScript('native-app', {}, ['--', '--help']);
    expect(help.code).toBe(0);
    expect(help.output).toContain('--keep         keep the refresh token for the next run');
    const typo = await runNpmScript('native-app', {}, ['--', '--kep']);
    expect(typo.code).toBe(2);
    const lines = typo.output.split('\n').filter((line) => line.startsWith('native-app:'));
    expect(lines).toEqual([expect.stringMatching(/^native-app: Unknown option '--kep'.*\(see --help\)$/)]);
  }, 60_000);

  it('[#native-command-line] finds the kit mock on a moved port from MOCK_IDP_PORT, unless ISSUER_URL says otherwise', () => {
    expect(loadConfig({ MOCK_IDP_PORT: '4100' })).toMatchObject({
      issuer: new URL('http://127.0.0.1:4100/identity'),
      apiBaseUrl: 'http://127.0.0.1:4100',
    });
    expect(
      loadConfig({ ...ownClient, MOCK_IDP_PORT: '4100', ISSUER_URL: 'https://idp.example/identity' }).issuer
        .href,
    ).toBe('https://idp.example/identity');
  });

  it('[#native-command-line] [#sample-settings] refuses a blank setting, and the demo client against any identity server but a local one', () => {
    expect(() => loadConfig({ CLIENT_SECRET: ' ' })).toThrow(
      /^The native app's configuration has problems:\n {2}- CLIENT_SECRET: is empty; give it a value, or remove the line$/,
    );
    const elsewhere = { ISSUER_URL: 'https://idp.example/identity' };
    expect(() => loadConfig(elsewhere)).toThrow(
      /CLIENT_ID: must be set when ISSUER_URL is not a local mock.*\n.*CLIENT_SECRET: .*\n.*TENANT_ID: .*\n.*API_BASE_URL: must be set/,
    );
    expect(() =>
      loadConfig({ ...ownClient, ...elsewhere, CLIENT_SECRET: mockDefaults.CLIENT_SECRET }),
    ).toThrow(
      /CLIENT_SECRET: is the local mock's demo value, which https:\/\/idp\.example\/identity does not know/,
    );
  });
});
