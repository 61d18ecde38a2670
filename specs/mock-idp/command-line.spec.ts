/**
 * `npm run mock-idp` as a user runs it: configured by environment, seeded from mock-idp/seed.json, test
 * controls off unless enabled, a clear message for bad settings, state saved on stop, and a reset.
 */
// vitest: long-running
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTypeScript } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import seed from '../../mock-idp/seed.json' with { type: 'json' };

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

describe('npm run mock-idp', () => {
  it('serves discovery on the configured port, seeded with the demo client and user, controls off', async () => {
    const idp = startTypeScript(entry, [], { MOCK_IDP_PORT: '0', MOCK_IDP_DATA_DIR: dataDir });
    try {
      const [, issuer = ''] = await idp.waitFor(/issuer (http:\/\/127\.0\.0\.1:\d+\/identity)/);
      const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
      expect(metadata.issuer).toBe(issuer);

      const demoClient = seed.hybridClients[0];
      const demoUser = seed.users[0];
      if (!demoClient || !demoUser) throw new Error('seed.json should declare a demo client and user');
      const { response } = await new UserAgent().signIn(
        authorizationUrl(
          { issuer },
          { id: demoClient.id, redirectUri: demoClient.redirectUris[0] as string },
        ),
        demoUser,
      );
      expect(response.fields.code).toBeTruthy();
      const origin = new URL(issuer).origin;
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

  it('refuses bad settings with one clear message per problem', async () => {
    const idp = startTypeScript(entry, [], {
      MOCK_IDP_PORT: 'not-a-port',
      MOCK_IDP_TEST_CONTROLS: 'maybe',
      MOCK_IDP_DATA_DIR: dataDir,
    });
    expect(await idp.exited).toBe(1);
    expect(idp.output()).toMatch(/MOCK_IDP_PORT/);
    expect(idp.output()).toMatch(/MOCK_IDP_TEST_CONTROLS/);
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
