/**
 * `npm run mock-idp` as a user runs it: configured by environment, seeded from mock-idp/seed.json, test
 * controls off unless enabled, a clear message for bad settings, state saved on stop, and a reset.
 */
// vitest: long-running
import { access, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenRequest } from '../../harness/hybrid-flow.ts';
import { signInAsDemoUser } from '../../harness/kit-seed.ts';
import { startTypeScript } from '../../harness/processes.ts';
import seed from '../../mock-idp/seed.json' with { type: 'json' };
import { readCommandLine } from '../../mock-idp/src/command-line.ts';

const entry = 'mock-idp/src/main.ts';
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mock-idp-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const flagsAndVariables = {
  port: 'MOCK_IDP_PORT',
  host: 'MOCK_IDP_HOST',
  issuer: 'MOCK_IDP_ISSUER',
  'issuer-uri': 'MOCK_IDP_ISSUER_URI',
  seed: 'MOCK_IDP_SEED_FILE',
  'data-dir': 'MOCK_IDP_DATA_DIR',
  'test-controls': 'MOCK_IDP_TEST_CONTROLS',
  'client-change-delay': 'MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS',
  'refresh-token-lifetime': 'MOCK_IDP_REFRESH_TOKEN_LIFETIME_SECONDS',
};

describe('the command line, read', () => {
  const read = (args: string[], env: Record<string, string> = {}) => readCommandLine(args, env, 'mock-idp');

  it('takes every setting as a flag, and a flag wins over its variable', () => {
    const commandLine = read(
      [
        '--port=0',
        '--host',
        '127.0.0.2',
        '--issuer',
        'http://localhost:9/identity',
        '--issuer-uri',
        'https://identity.example.com',
        '--seed',
        'my-seed.json',
        '--data-dir',
        'my-data',
        '--test-controls',
        '--client-change-delay',
        '60',
        '--refresh-token-lifetime',
        '28800',
        '--edition',
        'ocs',
        '--authorization-response-iss',
        '--hybrid-refresh-tokens',
        'false',
        '--require-consent',
        '--fsync',
        '--reset',
      ],
      { MOCK_IDP_PORT: '4100', MOCK_IDP_TEST_CONTROLS: 'false', MOCK_IDP_HOST: '0.0.0.0' },
    );
    expect(commandLine).toEqual({
      kind: 'run',
      options: {
        port: 0,
        host: '127.0.0.2',
        issuer: 'http://localhost:9/identity',
        issuerUri: 'https://identity.example.com',
        seedFile: 'my-seed.json',
        dataDir: 'my-data',
        testControls: true,
        clientChangeDelaySeconds: 60,
        refreshTokenLifetimeSeconds: 28800,
        edition: 'ocs',
        authorizationResponseIss: true,
        hybridRefreshTokens: false,
        requireConsent: true,
        syncToDisk: true,
      },
      actions: new Set(['reset']),
    });
  });

  it('takes the environment when no flag is given', () => {
    const commandLine = read([], { MOCK_IDP_PORT: '4100', MOCK_IDP_TEST_CONTROLS: '1' });
    expect(commandLine).toMatchObject({ kind: 'run', options: { port: 4100, testControls: true } });
  });

  it('names the editions when the edition is not one of them', () => {
    expect(read(['--edition', 'pi-cloud'])).toEqual({
      kind: 'problems',
      lines: [expect.stringMatching(/--edition.*must be data-hub or ocs/)],
    });
  });

  it('refuses, one line each: an unknown flag, a missing value, a value for a switch, a stray argument', () => {
    expect(read(['--nope', '--test-controls=yes', 'stray', '--seed'])).toEqual({
      kind: 'problems',
      lines: [
        'unknown option --nope (see --help)',
        '--test-controls takes no value',
        'unexpected argument "stray" (see --help)',
        '--seed needs a value: --seed <file>',
      ],
    });
    // A flag where the value should be is not taken as the value.
    expect(read(['--data-dir', '--port', '0'])).toEqual({
      kind: 'problems',
      lines: ['--data-dir needs a value: --data-dir <folder>', 'unexpected argument "0" (see --help)'],
    });
  });

  it('answers -h and --help with the help, which names every flag and variable', () => {
    const help = read(['-h']);
    expect(help.kind).toBe('help');
    for (const [flag, variable] of Object.entries(flagsAndVariables))
      expect(help).toMatchObject({
        text: expect.stringMatching(new RegExp(`--${flag}[^\\n]*\\n +${variable},`)),
      });
  });
});

describe('npm run mock-idp', () => {
  it('serves discovery on the configured port, seeded with the demo client and user, controls off', async () => {
    const idp = startTypeScript(entry, [], { MOCK_IDP_PORT: '0', MOCK_IDP_DATA_DIR: dataDir });
    try {
      const [, issuer = ''] = await idp.waitFor(/issuer (http:\/\/127\.0\.0\.1:\d+\/identity)/);
      const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
      expect(metadata.issuer).toBe(issuer);

      const response = await signInAsDemoUser(issuer);
      expect(response.fields.code).toBeTruthy();
      const origin = new URL(issuer).origin;
      // Its address alone leads somewhere: a page linking discovery and the portal.
      const home = await fetch(`${origin}/`);
      expect(home.status).toBe(200);
      const page = await home.text();
      expect(page).toContain(`href="${issuer}/.well-known/openid-configuration"`);
      expect(page).toContain('href="/portal"');
      expect((await fetch(`${origin}/__mock__/clock`)).status).toBe(404);
    } finally {
      expect(await idp.stop()).toBe(0);
    }
    expect(idp.output()).toContain('saving state and stopping');
    expect(await exists(join(dataDir, 'state.json'))).toBe(true);
    expect(await exists(join(dataDir, 'signing-keys.json'))).toBe(true);
  });

  it('exposes the clock control when MOCK_IDP_TEST_CONTROLS=true', async () => {
    const idp = startTypeScript(entry, [], {
      MOCK_IDP_PORT: '0',
      MOCK_IDP_DATA_DIR: dataDir,
      MOCK_IDP_TEST_CONTROLS: 'true',
    });
    try {
      const [, issuer = ''] = await idp.waitFor(/issuer (http:\/\/[^\s]+\/identity)/);
      const origin = new URL(issuer).origin;
      const before = (await (await fetch(`${origin}/__mock__/clock`)).json()).epochSeconds as number;
      const advanced = await fetch(`${origin}/__mock__/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 3600 }),
      });
      expect(((await advanced.json()).epochSeconds as number) - before).toBeGreaterThanOrEqual(3600);

      const admin = seed.clientCredentialsClients[0];
      const secret = admin?.secrets[0]?.value;
      if (!admin || !secret) throw new Error('seed.json should declare an admin client');
      const token = await tokenRequest(
        { issuer },
        { grant_type: 'client_credentials' },
        { id: admin.id, secret },
      );
      expect(token.status).toBe(200);
    } finally {
      await idp.stop();
    }
  });

  it('refuses bad settings and flags with one clear line per problem, and starts nothing', async () => {
    const idp = startTypeScript(entry, ['--frobnicate', '--client-change-delay', '-5'], {
      MOCK_IDP_PORT: 'not-a-port',
      MOCK_IDP_TEST_CONTROLS: 'maybe',
      MOCK_IDP_DATA_DIR: dataDir,
    });
    expect(await idp.exited).toBe(2);
    expect(idp.output().trim().split('\n')).toEqual([
      'mock-idp: unknown option --frobnicate (see --help)',
      'mock-idp: --port / MOCK_IDP_PORT: must be a whole number from 0 to 65535',
      'mock-idp: --test-controls / MOCK_IDP_TEST_CONTROLS: must be true or false (or 1 or 0)',
      'mock-idp: --client-change-delay / MOCK_IDP_CLIENT_CHANGE_DELAY_SECONDS: must be a whole number from 0 to 86400',
    ]);
  });

  it('--help prints every flag with its variable, and starts nothing', async () => {
    const help = startTypeScript(entry, ['--help'], { MOCK_IDP_PORT: '0', MOCK_IDP_DATA_DIR: dataDir });
    expect(await help.exited).toBe(0);
    for (const [flag, variable] of Object.entries(flagsAndVariables)) {
      expect(help.output()).toContain(`--${flag}`);
      expect(help.output()).toContain(variable);
    }
    expect(help.output()).not.toContain('issuer http');
  });

  it('names the address and the way to move it when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const idp = startTypeScript(entry, ['--port', String(port), '--data-dir', dataDir], {});
      expect(await idp.exited).toBe(1);
      expect(idp.output().trim()).toBe(
        `mock-idp: 127.0.0.1:${port} is in use by another program; choose another port with --port or ` +
          'MOCK_IDP_PORT (0 picks a free one)',
      );
    } finally {
      taken.close();
    }
  });

  it('--reset-only forgets the saved state and keys', async () => {
    expect(await exists(join(dataDir, 'state.json'))).toBe(true);
    const reset = startTypeScript(entry, ['--reset-only'], { MOCK_IDP_DATA_DIR: dataDir });
    expect(await reset.exited).toBe(0);
    expect(reset.output()).toMatch(/removed/);
    expect(await exists(join(dataDir, 'state.json'))).toBe(false);
    expect(await exists(join(dataDir, 'signing-keys.json'))).toBe(false);
  });
});
