/**
 * `npm start`: the mock identity server and the sample app together, seeded, printing the URL to open and the
 * demo user's credentials, and a sign-in that works from that banner alone; its ports move with one variable per
 * server.
 */
// vitest: long-running
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/kit.ts';
import { kitSeed } from '../../harness/kit-seed.ts';
import { startTestIdp } from '../../harness/mock-idp.ts';
import { type Started, startTypeScript } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import seed from '../../mock-idp/seed.json' with { type: 'json' };
import { loadConfig, mockDefaults } from '../../sample-app/src/config.ts';
import { kitEnvironment, registerAppAtDemoClient } from '../../scripts/kit-ports.ts';

let folder: string;
let kit: Started;
let appUrl: string;

beforeAll(async () => {
  // The kit's own ports may be taken on this machine: moved with one variable per server, as a user would.
  folder = await mkdtemp(join(tmpdir(), 'kit-start-'));
  const [idpPort, appPort] = [await freePort(), await freePort()];
  appUrl = `http://localhost:${appPort}`;
  kit = startTypeScript('scripts/start-kit.ts', [], {
    MOCK_IDP_PORT: String(idpPort),
    PORT: String(appPort),
    MOCK_IDP_DATA_DIR: folder,
  });
  await kit.waitFor(/sign in as/);
});
afterAll(async () => {
  await kit?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe("npm start's ports", () => {
  it('derives every URL from PORT and MOCK_IDP_PORT', () => {
    const kit = kitEnvironment({ PORT: '3100', MOCK_IDP_PORT: '4100' });
    expect(kit).toEqual({
      env: {
        PORT: '3100',
        MOCK_IDP_PORT: '4100',
        ISSUER_URL: 'http://127.0.0.1:4100/identity',
        API_BASE_URL: 'http://127.0.0.1:4100',
      },
      problems: [],
      warnings: [],
    });
    expect(loadConfig(kit.env).config).toMatchObject({
      issuer: new URL('http://127.0.0.1:4100/identity'),
      apiBaseUrl: 'http://127.0.0.1:4100',
      redirectUri: 'http://localhost:3100/callback',
      postLogoutRedirectUri: 'http://localhost:3100/signed-out',
    });
  });

  it('refuses a half-moved setup, naming what to set', () => {
    const { env } = kitEnvironment({ PORT: '3100', REDIRECT_URI: 'http://localhost:3000/callback' });
    expect(() => loadConfig(env)).toThrow(/REDIRECT_URI: names port 3000, but the app listens on PORT=3100/);
    expect(
      kitEnvironment({ MOCK_IDP_PORT: '4100', ISSUER_URL: 'http://127.0.0.1:4000/identity' }).problems,
    ).toEqual([expect.stringMatching(/^ISSUER_URL=.* names port 4000, but MOCK_IDP_PORT is 4100/)]);
  });

  it('leaves URLs elsewhere alone (a real tenant), and refuses port 0', () => {
    const tenant = { ISSUER_URL: 'https://uswe.datahub.connect.aveva.com/identity', PORT: '0' };
    const { env, problems } = kitEnvironment(tenant);
    expect(env.ISSUER_URL).toBe(tenant.ISSUER_URL);
    expect(problems).toEqual(["PORT=0: npm start needs a fixed port, because the app's URLs name it"]);
  });
});

describe('npm start', () => {
  it("[#kit-start-ports] warns of a port browsers refuse to open (the Fetch standard's bad ports)", () => {
    expect(kitEnvironment({ PORT: '6000' }).warnings).toEqual([
      expect.stringMatching(/^PORT=6000: browsers refuse to open this port \(ERR_UNSAFE_PORT\)/),
    ]);
    expect(kitEnvironment({ MOCK_IDP_PORT: '10080' }).warnings).toEqual([
      expect.stringMatching(/^MOCK_IDP_PORT=10080/),
    ]);
    expect(kitEnvironment({ PORT: '3100' }).warnings).toEqual([]);
  });

  it('[#kit-start-ports] registers each moved port in place of the last one it registered, never filling the ten URLs', async () => {
    const idp = await startTestIdp({ seed: kitSeed });
    try {
      const demo = kitSeed.hybridClients.find((client) => client.id === mockDefaults.CLIENT_ID);
      const seeded = [...(demo?.redirectUris ?? []), ...(demo?.postLogoutRedirectUris ?? [])];
      for (let port = 3101; port <= 3120; port += 1) {
        const { env } = kitEnvironment({ PORT: String(port), MOCK_IDP_PORT: new URL(idp.origin).port });
        registerAppAtDemoClient(idp, loadConfig(env).config, seeded);
      }
      const client = idp.context.administration.hybridClient(
        demo?.tenantId as string,
        mockDefaults.CLIENT_ID,
      );
      expect(client.redirectUris).toEqual([...(demo?.redirectUris ?? []), 'http://localhost:3120/callback']);
      expect(client.postLogoutRedirectUris).toEqual([
        ...(demo?.postLogoutRedirectUris ?? []),
        'http://localhost:3120/signed-out',
      ]);
    } finally {
      await idp.dispose();
    }
  });

  it('registers the moved app at the demo client, and says so', () => {
    expect(kit.output()).toContain(`the demo client now also allows ${appUrl}/callback`);
    expect(kit.output()).toContain(`the demo client now also allows ${appUrl}/signed-out`);
  });

  it('prints the URL to open, the demo credentials, and where the sign-in is shown step by step', () => {
    const demoUser = seed.users[0];
    expect(kit.output()).toContain(`sample app        ${appUrl}/`);
    expect(kit.output()).toContain(`how it worked     ${appUrl}/how-it-worked`);
    expect(kit.output()).toContain(`sign in as        ${demoUser?.email} / ${demoUser?.password}`);
  });

  it('prints the client portal and the administrator who can sign in to it', () => {
    const administrator = seed.users.find((user) => user.roles.includes('Tenant Administrator'));
    expect(kit.output()).toMatch(
      /client portal {5}http:\/\/127\.0\.0\.1:\d+\/portal {3}\(Security > Clients, as in AVEVA Data Hub\)/,
    );
    expect(kit.output()).toContain(`administrator     ${administrator?.email} / ${administrator?.password}`);
  });

  it('names the server and the variable to change when a port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const second = startTypeScript('scripts/start-kit.ts', [], {
        MOCK_IDP_PORT: String(port),
        MOCK_IDP_DATA_DIR: folder,
      });
      expect(await second.exited).toBe(2);
      expect(second.output().trim()).toBe(
        `start: the mock identity server cannot listen on 127.0.0.1:${port}: another program uses it; ` +
          'set MOCK_IDP_PORT to a free port',
      );
    } finally {
      taken.close();
    }
  });

  it('signs the demo user in from the printed URL, and shows the namespaces', async () => {
    const [, email = '', password = ''] = kit.output().match(/sign in as\s+(\S+) \/ (\S+)/) ?? [];
    const agent = new UserAgent();
    const appHost = appUrl.replace('localhost', '127.0.0.1');
    const login = await agent.request(`${appHost}/login?returnTo=/namespaces`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, {
      email,
      password,
    });
    const callback = await agent.request(`${appHost}/callback`, { form: response.fields });
    expect(callback.response.headers.get('location')).toBe('/namespaces');
    const namespaces = await agent.request(`${appHost}/namespaces`);
    expect(namespaces.body).toContain('production');
  });

  it('stops both servers on Ctrl+C', async () => {
    expect(await kit.stop()).toBe(0);
  });
});
