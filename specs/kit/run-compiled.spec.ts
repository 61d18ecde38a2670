/**
 * scripts/run.mjs, which the npm scripts start the kit's commands with: the command runs from a compiled file, sees
 * the arguments and the file names it would see under tsx, and is compiled again when a source it was built from
 * changed, and only then.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../harness/processes.ts';

const cache = join(repositoryRoot, 'node_modules', '.cache', 'hybrid-client-kit');
const launcher = join(repositoryRoot, 'scripts', 'run.mjs');
let folder: string;
/** A name no other spec run uses, so its compiled files can be found and removed. */
const entryName = `run-compiled-${process.pid}-${Date.now()}`;
let entry: string;

function launch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [launcher, ...args],
      { cwd: folder, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const compiledFile = async () => {
  const name = (await readdir(cache)).find((file) => file.startsWith(entryName) && file.endsWith('.mjs'));
  if (!name) throw new Error(`no compiled file for ${entryName} in ${cache}`);
  return join(cache, name);
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-compiled-'));
  entry = join(folder, `${entryName}.ts`);
  await writeFile(join(folder, 'value.ts'), "export const value: string = 'first';\n");
  // A package only imported on demand, which says when it is loaded.
  await mkdir(join(folder, 'node_modules', 'lazy-package'), { recursive: true });
  await writeFile(
    join(folder, 'node_modules', 'lazy-package', 'package.json'),
    JSON.stringify({ name: 'lazy-package', type: 'module', main: 'index.js' }),
  );
  await writeFile(
    join(folder, 'node_modules', 'lazy-package', 'index.js'),
    "console.error('lazy package loaded');\n",
  );
  await writeFile(join(folder, 'lazy.ts'), "import 'lazy-package';\n");
  await writeFile(
    entry,
    [
      "import { value } from './value.ts';",
      'const args: string[] = process.argv.slice(2);',
      'console.log(JSON.stringify({ value, args, argv1: process.argv[1], url: import.meta.url }));',
      "if (args.includes('--fail')) process.exitCode = 3;",
      "if (args.includes('--throw')) throw new Error('thrown on purpose');",
      "if (args.includes('--lazy')) await import('./lazy.ts');",
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  for (const file of await readdir(cache).catch(() => []))
    if (file.startsWith(entryName)) await rm(join(cache, file), { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

describe('node scripts/run.mjs <entry.ts>', () => {
  it('runs the entry with its arguments, its own file name and URL, and its exit code', async () => {
    const run = await launch(`${entryName}.ts`, '--port', '0', '--fail');
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({
      value: 'first',
      args: ['--port', '0', '--fail'],
      argv1: entry,
      url: pathToFileURL(entry).href,
    });
  });

  it('names the TypeScript file and line in a stack trace', async () => {
    const run = await launch(`${entryName}.ts`, '--throw');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('thrown on purpose');
    expect(run.stderr).toContain(`${entry}:5`);
  });

  it('loads what the entry imports on demand only when it is asked for, as under tsx', async () => {
    expect((await launch(`${entryName}.ts`)).stderr).not.toContain('lazy package loaded');
    expect((await launch(`${entryName}.ts`, '--lazy')).stderr).toContain('lazy package loaded');
  });

  it('compiles again when a source changed, and only then', async () => {
    const before = (await stat(await compiledFile())).mtimeMs;
    expect(JSON.parse((await launch(`${entryName}.ts`)).stdout).value).toBe('first');
    expect((await stat(await compiledFile())).mtimeMs).toBe(before);

    await writeFile(join(folder, 'value.ts'), "export const value: string = 'second, and longer';\n");
    expect(JSON.parse((await launch(`${entryName}.ts`)).stdout).value).toBe('second, and longer');
    expect((await stat(await compiledFile())).mtimeMs).toBeGreaterThan(before);
  });

  it('says how to use it, exit 2, when no entry is given', async () => {
    const run = await launch();
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('usage: node scripts/run.mjs <entry.ts> [arguments]');
  });
});
