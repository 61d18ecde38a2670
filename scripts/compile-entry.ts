/**
 * One of the kit's TypeScript commands compiled into one JavaScript file (esbuild), which starts in about a third of
 * the time tsx takes to load the sources: for `npm start` and the other npm scripts (scripts/run.mjs) and for the
 * commands the specs start again and again (harness/compiled-entries.ts).
 *
 * Two things keep it the same program as tsx runs: every package is imported from the very file Node would load for
 * the source (resolved from the importing source file, so a workspace's own copy of a package stays its own), and
 * `import.meta.url` keeps each source file's own URL, so views, assets, the seed and .env files are found where they
 * are; `process.argv[1]` names the source file too.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const resolving = Symbol('resolving a package');

/** Packages stay imports, of the file Node resolves from the importing source file. */
const packagesAsResolvedByNode: Plugin = {
  name: 'packages-as-node-resolves-them',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async ({ path, kind, resolveDir, pluginData }) => {
      if (isBuiltin(path)) return { path, external: true };
      if (pluginData === resolving) return undefined;
      const resolved = await builder.resolve(path, { kind, resolveDir, pluginData: resolving });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(path).href),
      ),
      loader: 'ts',
      resolveDir: dirname(path),
    }));
  },
};

/**
 * The compiled file, the chunks of what the source imports only on demand (`await import(...)`: the Redis client, say,
 * stays unloaded unless it is used, as under tsx), and their source maps, not yet written; the absolute paths of the
 * sources they come from. Chunks are named by their content, so a command still running keeps the ones it started with.
 */
async function bundleEntry(source: string, outfile: string) {
  const workingDirectory = dirname(source);
  const name = basename(outfile, '.mjs');
  const { metafile, outputFiles } = await build({
    absWorkingDir: workingDirectory,
    entryPoints: { [name]: source },
    outdir: dirname(outfile),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: `${name}-chunks/[name]-[hash]`,
    write: false,
    // The program sees itself started as its source file, as under tsx: a check for "run, not imported" holds.
    banner: { js: `process.argv[1] = ${JSON.stringify(source)};` },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces name the TypeScript lines (Node reads the map when source maps are on: scripts/run.mjs).
    sourcemap: 'linked',
    // Node's own resolution for import: its conditions, and `main` for packages without `exports`.
    conditions: ['node'],
    mainFields: ['main'],
    logLevel: 'warning',
    metafile: true,
    plugins: [packagesAsResolvedByNode],
  });
  return {
    files: outputFiles,
    inputs: Object.keys(metafile.inputs).map((input) => resolve(workingDirectory, input)),
  };
}

/** What a compiled file was built from: each file's path, modification time and size, to tell when it is stale. */
export type BuiltFrom = [path: string, modifiedMs: number, size: number][];

const replaceWith = async (path: string, contents: string | Uint8Array) => {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.${process.pid}.tmp`, contents);
  await rename(`${path}.${process.pid}.tmp`, path);
};

/**
 * Compiles the TypeScript file `source` into `outfile`, with its chunks and source maps beside it and the list of
 * what it was built from (`outfile`.json), each file renamed into place so a command started meanwhile reads whole
 * files. `alsoDependsOn` are files outside the bundle that change what it imports: the installed packages' lockfile.
 */
export async function compileEntry(
  source: string,
  outfile: string,
  alsoDependsOn: string[] = [],
): Promise<void> {
  const { files, inputs } = await bundleEntry(source, outfile);
  const found = await Promise.all(
    [...inputs, ...alsoDependsOn].map(async (path) => {
      // A lockfile that is not there (packages installed some other way) is not waited for.
      const file = await stat(path).catch(() => null);
      return file && ([path, file.mtimeMs, file.size] as BuiltFrom[number]);
    }),
  );
  const builtFrom: BuiltFrom = found.filter((item) => item !== null);
  // The chunks before the file that imports them.
  const last = (path: string) => (path === outfile ? 1 : 0);
  for (const file of files.sort((a, b) => last(a.path) - last(b.path)))
    await replaceWith(file.path, file.contents);
  await replaceWith(`${outfile}.json`, JSON.stringify(builtFrom));
}
