/**
 * sample-app/ is the starter people copy: copied out of this repository on its own, it installs from its own
 * package.json, type-checks, starts with `npm start`, and signs a user in.
 */
// vitest: long-running
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSettings, freePort } from '../../harness/kit.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { repositoryRoot, type Started, startCommand } from '../../harness/processes.ts';
import { alice, type SeededHybridClient, seedWithAppClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';

const run = promisify(execFile);
let folder: string;
let idp: TestIdp;
let client: SeededHybridClient;
let app: Started;
let appUrl: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sample-app-copy-'));
  await cp(join(repositoryRoot, 'sample-app'), folder, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.env)$/.test(source),
  });
  // Its own lockfile: `npm ci` fails if it no longer matches its package.json.
  await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: folder,
    timeout: 150_000,
  });

  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  const seeded = seedWithAppClient(appUrl);
  client = seeded.client;
  idp = await startTestIdp({ seed: seeded.seed });
  // Configured the way its README says: a .env file next to package.json.
  const settings = appSettings(idp, client, port);
  await writeFile(
    join(folder, '.env'),
    Object.entries(settings)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  app = startCommand('npm', ['start'], folder, {});
  await app.waitFor(/listening on/, 30_000);
}, 200_000);

afterAll(async () => {
  await app?.stop();
  await idp?.dispose();
  await rm(folder, { recursive: true, force: true });
});

describe('the sample app copied out of the repository', () => {
  it('carries its guide, its lockfile and a .gitignore that keeps .env (the client secret) out', async () => {
    expect(await readFile(join(folder, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toContain('sequenceDiagram');
    expect(JSON.parse(await readFile(join(folder, 'package-lock.json'), 'utf8')).name).toBe(
      'hybrid-client-sample-app',
    );
  });

  it('type-checks with its own tsconfig and dependencies', async () => {
    const { stdout, stderr } = await run('npm', ['run', 'typecheck'], { cwd: folder, timeout: 60_000 });
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
