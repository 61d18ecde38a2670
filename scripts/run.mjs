/**
 * Runs one of the kit's TypeScript commands from a compiled file: `node scripts/run.mjs <entry.ts> [arguments]`,
 * what `npm start`, `npm run mock-idp` and the other npm scripts do. Loading the sources through tsx took about a
 * second more at every start.
 *
 * The compiled file (scripts/compile-entry.ts) lives in node_modules/.cache/hybrid-client-kit/ with the list of what
 * it was built from; it is built again when one of those sources, or the installed packages, changed since. Plain
 * JavaScript, because it runs before anything can load TypeScript; tsx is loaded only to build.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <entry.ts> [arguments]');
  process.exit(2);
}
const source = resolve(entry);
const cache = join(repositoryRoot, 'node_modules', '.cache', 'hybrid-client-kit');
const outfile = join(
  cache,
  `${basename(source, '.ts')}-${createHash('sha256').update(source).digest('hex').slice(0, 12)}.mjs`,
);
// npm rewrites it at every install: the packages a compiled file imports may have moved.
const installed = join(repositoryRoot, 'node_modules', '.package-lock.json');

/** True when the compiled file exists and every file it was built from is as it was then. */
async function isFresh() {
  const builtFrom = await readFile(`${outfile}.json`, 'utf8').then(JSON.parse, () => null);
  if (!Array.isArray(builtFrom)) return false;
  const now = await Promise.all(
    builtFrom.map(([path]) =>
      stat(path).then(
        (file) => [path, file.mtimeMs, file.size],
        () => null,
      ),
    ),
  );
  return now.every((found, index) => found && found.join() === builtFrom[index].join());
}

if (!(await isFresh())) {
  await mkdir(cache, { recursive: true });
  const { tsImport } = await import('tsx/esm/api');
  const { compileEntry } = await tsImport('./compile-entry.ts', import.meta.url);
  await compileEntry(source, outfile, [installed]);
}

// As if the compiled file had been started itself, as its source: [node, source, ...arguments].
process.argv = [process.argv[0], source, ...args];
process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
