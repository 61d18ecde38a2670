/**
 * The kit's two packages as other projects install them: `npm pack` of mock-idp/ and conformance/, installed into
 * an empty project, run with no tsx and no TypeScript. The mock's command starts a mock a browser can sign in to,
 * its API and its msw handlers import, and its types check in the project's own TypeScript; the conformance
 * command runs the suite against that mock and writes its JUnit report.
 */
// vitest: long-running
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFlags, demoUserFlags, signInAsDemoUser } from '../../harness/kit-seed.ts';
import { packedKit } from '../../harness/packed-packages.ts';
import { repositoryRoot, startCommand } from '../../harness/processes.ts';

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
  project = await mkdtemp(join(tmpdir(), 'kit-packages-'));
  const packed = await packedKit();
  packedFiles = packed.mockIdp.files;
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // msw is the mock's optional peer; TypeScript and Node's types are the consumer's own, as in any project.
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      packed.mockIdp.path,
      packed.conformance.path,
      `msw@${await versionOf('msw')}`,
      `typescript@${await versionOf('typescript')}`,
      `@types/node@${await versionOf('@types/node')}`,
    ],
    { cwd: project, timeout: 240_000 },
  );
}, 400_000);
// Retried: a command that was just stopped may still be closing files in the project.
afterAll(() => rm(project, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));

describe('the packages, packed and installed', () => {
  it('ships compiled JavaScript with its types, pages, styles and seed, and no TypeScript source', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/main.js',
        'dist/msw.js',
        'dist/msw.d.ts',
        'dist/testing/vitest.js',
        'dist/testing/vitest.d.ts',
        'dist/testing/playwright.js',
        'dist/testing/playwright.d.ts',
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
    // The defaults it uses, as they are where it was started: not the kit repository's.
    expect(stdout).toContain('MOCK_IDP_DATA_DIR, default .mock-idp-data:');
    expect(stdout).toContain('MOCK_IDP_SEED_FILE, default node_modules/');
    expect(stdout).not.toContain('mock-idp/.data');
  }, 90_000);

  it('starts from its command, keeps its state in the project, and signs the demo user in', async () => {
    // The command npm linked, run directly (npx would stand between it and the stop signal).
    const command = join(project, 'node_modules', '.bin', 'hybrid-client-mock-idp');
    const mock = startCommand(command, ['--port', '0'], project, {});
    try {
      const [, issuer = ''] = await mock.waitFor(/issuer (\S+)/, 30_000);
      const [, stateFolder] = await mock.waitFor(/state in (\S+)/, 10_000);
      expect(stateFolder).toBe(join(project, '.mock-idp-data'));
      await mock.waitFor(/\.mock-idp-data is new: .*; add it to \.gitignore/, 10_000);
      const response = await signInAsDemoUser(issuer);
      expect(response.fields.code).toEqual(expect.any(String));
    } finally {
      expect(await mock.stop()).toBe(0);
    }
    expect(mock.output()).toContain('saving state and stopping');
    // Started again on its folder: nothing new to tell.
    const again = startCommand(command, ['--port', '0'], project, {});
    try {
      await again.waitFor(/state in /, 30_000);
    } finally {
      await again.stop();
    }
    expect(again.output()).not.toContain('.gitignore');
  }, 90_000);

  it('imports as a library, msw handlers included, and type-checks in the project', async () => {
    const program = `
      import { setupServer } from 'msw/node';
      import { mockIdpControls, startMockIdp, type RunningMockIdp } from '${packageName}';
      import { mockIdpHandlers } from '${packageName}/msw';

      const idp: RunningMockIdp = await startMockIdp({ port: 0, dataDir: 'in-process-data', testControls: true });
      const discovery = await fetch(\`\${idp.authority}/.well-known/openid-configuration\`);
      console.log('server', discovery.status, (await discovery.json()).issuer === idp.issuer);
      const clientId = '7e5d3c1b-9a8f-4e6d-b4c2-a1f0e9d8c7b6';
      await idp.scenarios.set({ clientId, name: 'invalid-chash' });
      const overHttp = mockIdpControls(idp.origin);
      console.log('scenarios', (await overHttp.scenarios.list(clientId)).map((scenario) => scenario.name).join());
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
      'scenarios invalid-chash',
      'msw 200 https://idp.example.test/identity',
    ]);
  }, 90_000);
  it('runs the conformance command against the mock command, and writes the JUnit report', async () => {
    const mock = startCommand(
      join(project, 'node_modules', '.bin', 'hybrid-client-mock-idp'),
      ['--port', '0', '--data-dir', 'conformance-target', '--test-controls'],
      project,
      {},
    );
    try {
      const [, issuer = ''] = await mock.waitFor(/issuer (\S+)/, 30_000);
      const conformance = startCommand(
        join(project, 'node_modules', '.bin', 'hybrid-client-conformance'),
        [...conformanceFlags(issuer), ...demoUserFlags, '--time-control'],
        project,
        {},
      );
      expect(await conformance.exited, conformance.output()).toBe(0);
      const junit = await readFile(join(project, 'reports', 'conformance.junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuites name="Hybrid Client Kit conformance" tests="\d+" failures="0"/);
      expect(junit).toContain(`<testsuite name="conformance: ${issuer}"`);
      // Spec files named as the user's project holds them, and sources as links to their pages.
      const markdown = await readFile(join(project, 'reports', 'conformance.md'), 'utf8');
      expect(markdown).toContain(
        '(node_modules/@hybrid-client-kit/conformance/suite/specs/mock-idp/discovery.spec.ts)',
      );
      expect(markdown).toMatch(/\| \[[^\]]+\]\(https:\/\/[^)]+\) \(AVEVA documentation\)/);
    } finally {
      await mock.stop();
    }
  }, 180_000);
});
