/**
 * `npm start`: the mock identity server and the sample app together, seeded, printing the URL to open and the
 * demo user's credentials, and a sign-in that works from that banner alone.
 */
// vitest: long-running
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/kit.ts';
import { type Started, startTypeScript } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import seed from '../../mock-idp/seed.json' with { type: 'json' };

let folder: string;
let kit: Started;
let appUrl: string;

beforeAll(async () => {
  // The kit's own ports may be taken on this machine: the same seed, with the demo client on free ports.
  folder = await mkdtemp(join(tmpdir(), 'kit-start-'));
  const [idpPort, appPort] = [await freePort(), await freePort()];
  appUrl = `http://localhost:${appPort}`;
  const demoClient = {
    ...seed.hybridClients[0],
    redirectUris: [`${appUrl}/callback`],
    postLogoutRedirectUris: [`${appUrl}/signed-out`],
  };
  const seedFile = join(folder, 'seed.json');
  await writeFile(seedFile, JSON.stringify({ ...seed, hybridClients: [demoClient] }));
  kit = startTypeScript('scripts/start-kit.ts', [], {
    MOCK_IDP_PORT: String(idpPort),
    MOCK_IDP_DATA_DIR: folder,
    MOCK_IDP_SEED_FILE: seedFile,
    ISSUER_URL: `http://127.0.0.1:${idpPort}/identity`,
    API_BASE_URL: `http://127.0.0.1:${idpPort}`,
    PORT: String(appPort),
    REDIRECT_URI: `${appUrl}/callback`,
    POST_LOGOUT_REDIRECT_URI: `${appUrl}/signed-out`,
  });
  await kit.waitFor(/sign in as/);
});
afterAll(async () => {
  await kit?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the URL to open and the demo credentials', () => {
    const demoUser = seed.users[0];
    expect(kit.output()).toContain(`sample app        ${appUrl}/`);
    expect(kit.output()).toContain(`sign in as        ${demoUser?.email} / ${demoUser?.password}`);
  });

  it('prints the client portal and the administrator who can sign in to it', () => {
    const administrator = seed.users.find((user) => user.roles.includes('Tenant Administrator'));
    expect(kit.output()).toMatch(/client portal {5}http:\/\/127\.0\.0\.1:\d+\/portal /);
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
      expect(await second.exited).toBe(1);
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
