/**
 * sample-app/ is the starter people copy: copied out of this repository on its own, it installs from its own
 * package.json, type-checks, starts with `npm start`, and signs a user in.
 */
// vitest: long-running
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopiedOut, copyOutAndInstall, run } from '../../harness/copied-out.ts';
import { appSettings, freePort } from '../../harness/kit.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { type Started, startCommand } from '../../harness/processes.ts';
import { alice, type SeededHybridClient, seedWithAppClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

let copy: CopiedOut;
let idp: TestIdp;
let client: SeededHybridClient;
let app: Started;
let appUrl: string;

beforeAll(async () => {
  copy = await copyOutAndInstall('sample-app');
  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  const seeded = seedWithAppClient(appUrl);
  client = seeded.client;
  idp = await startTestIdp({ seed: seeded.seed });
  // Configured the way its README says: a .env file next to package.json.
  await copy.writeEnv(appSettings(idp, client, port));
  app = startCommand('npm', ['start'], copy.folder, {});
  await app.waitFor(/listening on/, 30_000);
}, 200_000);

afterAll(async () => {
  await app?.stop();
  await idp?.dispose();
  await copy?.remove();
});

describe('the sample app copied out of the repository', () => {
  it('carries its guide, its lockfile and a .gitignore that keeps .env (the client secret) out', async () => {
    expect(await readFile(join(copy.folder, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(await readFile(join(copy.folder, 'README.md'), 'utf8')).toContain('sequenceDiagram');
    expect(JSON.parse(await readFile(join(copy.folder, 'package-lock.json'), 'utf8')).name).toBe(
      'hybrid-client-sample-app',
    );
  });

  it("holds the starter only: none of the kit's walkthrough, its recorder or its pages", async () => {
    const files = (await readdir(copy.folder, { recursive: true })).filter(
      (file) => !file.startsWith('node_modules'),
    );
    expect(files).toContain(join('src', 'extension.ts'));
    expect(files.filter((file) => /walkthrough|recorder|how-it-worked|_steps|_message/.test(file))).toEqual(
      [],
    );
    const sources = await Promise.all(
      files
        .filter((file) => /\.(ts|ejs)$/.test(file))
        .map((file) => readFile(join(copy.folder, file), 'utf8')),
    );
    for (const source of sources) expect(source).not.toMatch(/SHOW_SIGN_IN_FLOW|recordExchanges|fingerprint/);
  });

  it('type-checks with its own tsconfig and dependencies', async () => {
    const { stdout, stderr } = await run('npm', ['run', 'typecheck'], { cwd: copy.folder, timeout: 60_000 });
    expect(`${stdout}${stderr}`).not.toMatch(/error TS/);
  }, 70_000);

  it('starts with npm start, configured by its .env file, and signs a user in', async () => {
    const agent = new UserAgent();
    const base = appUrl.replace('localhost', '127.0.0.1');
    const login = await agent.request(`${base}/login?returnTo=/profile`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
    const callback = await agent.request(`${base}/callback`, { form: response.fields });
    expect(callback.response.headers.get('location')).toBe('/profile');
    expect((await agent.request(`${base}/profile`)).body).toContain(alice.id);
  });
});

describe('the copied sample app started by hand', () => {
  /** Runs `npm start` in the copy with these variables and, for the time it runs, no .env at all. */
  async function startWithoutEnvFile(env: Record<string, string>) {
    const envFile = join(copy.folder, '.env');
    await rename(envFile, `${envFile}.aside`);
    const started = startCommand('npm', ['start'], copy.folder, env);
    try {
      await Promise.race([started.waitFor(/listening on/, 30_000), started.exited]);
    } finally {
      await rename(`${envFile}.aside`, envFile);
    }
    return started;
  }

  it('[#sample-settings] on another PORT with no .env, names that port and sends the sign-in back to it', async () => {
    const port = await freePort();
    const { REDIRECT_URI, POST_LOGOUT_REDIRECT_URI, PORT, ...identityServer } = appSettings(idp, client, 0);
    const moved = await startWithoutEnvFile({ ...identityServer, PORT: String(port) });
    try {
      expect(moved.output()).toContain(`open http://localhost:${port}/`);
      const login = await new UserAgent().request(`http://127.0.0.1:${port}/login`);
      const authorize = new URL(login.response.headers.get('location') as string);
      expect(authorize.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`);
    } finally {
      await moved.stop();
    }
  });

  it('[#sample-settings] refuses blank settings and the demo client against a real tenant, every problem at once, exit 2', async () => {
    const refused = await startWithoutEnvFile({
      ISSUER_URL: 'https://uswe.datahub.connect.aveva.com/identity',
      CLIENT_SECRET: '',
      PORT: 'eighty',
    });
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toContain("The sample app's configuration has 5 problem(s):");
    for (const problem of [
      '- CLIENT_SECRET: is empty; give it a value, or remove the line',
      '- PORT: must be a port number from 0 to 65535',
      '- CLIENT_ID: must be set when ISSUER_URL is not a local mock',
      '- TENANT_ID: must be set when ISSUER_URL is not a local mock',
      '- API_BASE_URL: must be set when ISSUER_URL is not a local mock',
    ])
      expect(refused.output()).toContain(problem);
  });

  it('[#sample-settings] names a taken port as the kit does, exit 2', async () => {
    const { port } = new URL(appUrl);
    const second = startCommand('npm', ['start'], copy.folder, { PORT: port });
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(
      `sample-app: the sample app cannot listen on 127.0.0.1:${port}: another program uses it; set PORT to a free port`,
    );
  });
});
