/**
 * The layers hold by a tool, not by discipline: ARCHITECTURE.md lists, per folder, what it may and may not import,
 * and `npm run lint` (Biome's noRestrictedImports, configured per folder in biome.json) refuses each import the
 * table forbids. Each forbidden and each allowed import is planted in a copy of the folders beside biome.json, and
 * the linter must flag exactly the forbidden ones.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../harness/processes.ts';

const run = promisify(execFile);
const biome = join(repositoryRoot, 'node_modules', '.bin', 'biome');

interface Layer {
  folder: string;
  /** Whether the row is about the files at the folder's top, not its subfolders. */
  ownFiles: boolean;
  allowed: string[];
  forbidden: string[];
}

async function layersOfArchitecture(): Promise<Layer[]> {
  const text = await readFile(join(repositoryRoot, 'ARCHITECTURE.md'), 'utf8');
  return [...text.matchAll(/^\| `([^`]+)`( \(its own files\))? \| (.*?) \| (.*) \|$/gm)].map((row) => ({
    folder: row[1] as string,
    ownFiles: Boolean(row[2]),
    allowed: [...(row[3] as string).matchAll(/`([^`]+)`/g)].map((match) => match[1] as string),
    forbidden: [...(row[4] as string).matchAll(/`([^`]+)`/g)].map((match) => match[1] as string),
  }));
}

interface Planted {
  file: string;
  line: number;
  from: string;
  to: string;
  forbidden: boolean;
}

let layers: Layer[];
let folder: string;
let planted: Planted[];
let flagged: { file: string; line: number }[];

beforeAll(async () => {
  layers = await layersOfArchitecture();
  folder = await mkdtemp(join(tmpdir(), 'layers-'));
  await copyFile(join(repositoryRoot, 'biome.json'), join(folder, 'biome.json'));
  planted = [];
  for (const layer of layers) {
    const file = join(layer.folder, layer.ownFiles ? 'planted.ts' : join('nested', 'planted.ts'));
    const targets = [
      ...layer.allowed.map((to) => ({ to, forbidden: false })),
      ...layer.forbidden.map((to) => ({ to, forbidden: true })),
    ];
    const lines = targets.map(({ to }, index) => {
      let specifier = relative(dirname(join(folder, file)), join(folder, to, 'target.ts'));
      if (!specifier.startsWith('.')) specifier = `./${specifier}`;
      return `import { value as v${index} } from '${specifier}';`;
    });
    targets.forEach(({ to, forbidden }, index) => {
      planted.push({ file, line: index + 1, from: layer.folder, to, forbidden });
    });
    lines.push('', `export const all = [${targets.map((_, index) => `v${index}`).join(', ')}];`, '');
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await writeFile(join(folder, file), lines.join('\n'));
  }
  const { stdout } = await run(
    biome,
    ['lint', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', '.'],
    { cwd: folder, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  const report = JSON.parse(stdout) as {
    diagnostics: { category: string; location: { path: string; start: { line: number } } }[];
  };
  flagged = report.diagnostics
    .filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports')
    .map((diagnostic) => ({ file: diagnostic.location.path, line: diagnostic.location.start.line }));
}, 60_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const isFlagged = (import_: Planted) =>
  flagged.some((flag) => flag.file === import_.file && flag.line === import_.line);

describe('the layers of ARCHITECTURE.md, enforced by npm run lint', () => {
  it('lists every part of the kit', () => {
    expect(layers.map((layer) => layer.folder)).toEqual(
      expect.arrayContaining([
        'mock-idp/src/protocol',
        'mock-idp/src/portal',
        'sample-app/src/auth',
        'native-app/src',
      ]),
    );
    expect(planted.filter((import_) => import_.forbidden).length).toBeGreaterThan(150);
  });

  it('refuses an import from mock-idp/src/protocol into mock-idp/src/portal', () => {
    const protocolToPortal = planted.find(
      (import_) => import_.from === 'mock-idp/src/protocol' && import_.to === 'mock-idp/src/portal',
    );
    expect(protocolToPortal && isFlagged(protocolToPortal)).toBe(true);
  });

  it('refuses every import the table forbids, and lets every one it allows through', () => {
    expect(planted.filter((import_) => import_.forbidden && !isFlagged(import_))).toEqual([]);
    expect(planted.filter((import_) => !import_.forbidden && isFlagged(import_))).toEqual([]);
  });

  it('passes on the kit as it is', async () => {
    const lint = await run(
      biome,
      [
        'lint',
        '--reporter=json',
        '--max-diagnostics=none',
        'mock-idp/src',
        'sample-app/src',
        'native-app/src',
        'walkthrough',
      ],
      {
        cwd: repositoryRoot,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(lint.stdout) as { diagnostics: { category: string }[] };
    expect(
      report.diagnostics.filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports'),
    ).toEqual([]);
  });
});
