/**
 * The kit's commands compiled once per test run, so the specs that start them as child processes again and again
 * (the native app once per relying-party module, the mock at every crash and restart) do not pay tsx's module
 * loading each time: ~2.7 s of CPU a start through tsx, ~0.6 s from the compiled file.
 *
 * Each entry becomes one JavaScript file (esbuild). Two things keep it the same program as tsx runs: every package
 * is imported from the very file Node would load for the source (resolved from the importing source file, so a
 * workspace's own copy of a package stays its own), and `import.meta.url` keeps each source file's own URL, so
 * views, assets, the seed and .env files are found where they are; `process.argv[1]` names the source file too.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { commandEntries, compiledNameOf, repositoryRoot } from './processes.ts';

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

/** Compiles every command entry into `folder`. */
export async function compileCommandEntries(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await Promise.all(
    commandEntries.map((entry) => {
      const source = join(repositoryRoot, entry);
      return build({
        entryPoints: [source],
        outfile: join(folder, compiledNameOf(entry)),
        // The program sees itself started as its source file, as under tsx: a check for "run, not imported" holds.
        banner: { js: `process.argv[1] = ${JSON.stringify(source)};` },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // Node's own resolution for import: its conditions, and `main` for packages without `exports`.
        conditions: ['node'],
        mainFields: ['main'],
        logLevel: 'warning',
        plugins: [packagesAsResolvedByNode],
      });
    }),
  );
}
