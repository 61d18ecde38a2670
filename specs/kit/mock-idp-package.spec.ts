/**
 * The mock identity server as a package other projects install: `npm pack` of mock-idp/, installed into an empty
 * project, runs as compiled JavaScript (no tsx, no TypeScript): its command starts a mock a browser can sign in
 * to, its API and its msw handlers import, and its types check in the project's own TypeScript.
 */
// vitest: long-running
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { repositoryRoot, startCommand } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import seed from '../../mock-idp/seed.json' with { type: 'json' };

const run = promisify(execFile);
const packageName = '@hybrid-client-kit/mock-idp';
let project: string;
let packedFiles: string[];

const versionOf = async (name: string) =>
  (
    JSON.parse(await readFile(join(repositoryRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'mock-idp-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: join(repositoryRoot, 'mock-idp'),
    timeout: 120_000,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  packedFiles = packed.files.map((file) => file.path);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // msw is the package's optional peer; TypeScript and Node's types are the consumer's own, as in any project.
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(project, packed.filename),
      `msw@${await versionOf('msw')}`,
      `typescript@${await versionOf('typescript')}`,
      `@types/node@${await versionOf('@types/node')}`,
    ],
    { cwd: project, timeout: 150_000 },
  );
}, 300_000);
afterAll(() => rm(project, { recursive: true, force: true }));

describe('the mock identity server, packed and installed', () => {
  it('ships compiled JavaScript with its types, pages, styles and seed, and no TypeScript source', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/main.js',
        'dist/msw.js',
        'dist/msw.d.ts',
        'dist/views/login.ejs',
        'public/site.css',
        'seed.json',
      ]),
    );
    expect(packedFiles.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('answers --help from its command, hybrid-client-mock-idp', async () => {
    const { stdout } = await run('npx', ['--no-install', 'hybrid-client-mock-idp', '--help'], {
      cwd: project,
    });
    expect(stdout).toContain('Usage: hybrid-client-mock-idp [options]');
    expect(stdout).toContain('--port <n>');
  });

  it('starts from its command, keeps its state in the project, and signs the demo user in', async () => {
    // The command npm linked, run directly (npx would stand between it and the stop signal).
    const command = join(project, 'node_modules', '.bin', 'hybrid-client-mock-idp');
    const mock = startCommand(command, ['--port', '0'], project, {});
    try {
      const [, issuer = ''] = await mock.waitFor(/issuer (\S+)/, 30_000);
      expect(mock.output()).toContain(`state in ${join(project, '.mock-idp-data')}`);
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
      expect(response.fields.code).toEqual(expect.any(String));
    } finally {
      expect(await mock.stop()).toBe(0);
    }
    expect(mock.output()).toContain('saving state and stopping');
  });

  it('imports as a library, msw handlers included, and type-checks in the project', async () => {
    const program = `
      import { setupServer } from 'msw/node';
      import { startMockIdp, type RunningMockIdp } from '${packageName}';
      import { mockIdpHandlers } from '${packageName}/msw';

      const idp: RunningMockIdp = await startMockIdp({ port: 0, dataDir: 'in-process-data' });
      const discovery = await fetch(\`\${idp.authority}/.well-known/openid-configuration\`);
      console.log('server', discovery.status, (await discovery.json()).issuer === idp.issuer);
      await idp.close();

      const { handlers } = await mockIdpHandlers({ origin: 'https://idp.example.test' });
      const server = setupServer(...handlers);
      server.listen();
      const intercepted = await fetch('https://idp.example.test/identity/.well-known/openid-configuration');
      console.log('msw', intercepted.status, (await intercepted.json()).issuer);
      server.close();
    `;
    await writeFile(join(project, 'program.ts'), program);
    await writeFile(
      join(project, 'program.mjs'),
      program.replace(', type RunningMockIdp', '').replace(': RunningMockIdp', ''),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2023',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['program.ts'],
      }),
    );
    const typeCheck = await run('npx', ['--no-install', 'tsc', '-p', '.'], { cwd: project }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(typeCheck.stdout).toBe('');
    const { stdout } = await run(process.execPath, ['program.mjs'], { cwd: project, timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual([
      'server 200 true',
      'msw 200 https://idp.example.test/identity',
    ]);
  });
});
