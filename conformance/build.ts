/**
 * Builds the conformance package's suite/: the spec files that run against another server, what they import (the
 * harness, the target, the rule catalogue and its report, the mock's source, which vitest compiles itself), the
 * repository's vitest.config.ts, and the command compiled to JavaScript. The layout is the repository's, so every
 * relative import holds. Run by `npm pack` (prepack).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('..', import.meta.url));
const suite = fileURLToPath(new URL('suite', import.meta.url));

/** The spec files that say they run against another server; the catalogue's checks the repository, not a server. */
const targetSpecs = readdirSync(join(repository, 'specs'), { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.spec.ts'))
  .map((path) => join('specs', path))
  .filter((path) => readFileSync(join(repository, path), 'utf8').includes('useTarget()'));

const copied = [
  'vitest.config.ts',
  'mock-idp/src',
  'mock-idp/public',
  'mock-idp/seed.json',
  'harness/processes.ts',
  'harness/test-seed.ts',
  'harness/user-agent.ts',
  'harness/hybrid-flow.ts',
  'harness/mock-idp.ts',
  'harness/chromium.ts',
  'specs/support/target.ts',
  'specs/support/error-page.ts',
  'specs/support/admin-api.ts',
  'specs/conformance/rules.ts',
  'specs/conformance/report.ts',
  'specs/conformance/vitest-reporter.ts',
  'specs/conformance/cli.ts',
  'specs/conformance/preflight.ts',
  'specs/conformance/settings.ts',
  'specs/conformance/rp',
  ...targetSpecs,
];

rmSync(suite, { recursive: true, force: true });
for (const path of copied) {
  mkdirSync(dirname(join(suite, path)), { recursive: true });
  cpSync(join(repository, path), join(suite, path), { recursive: true });
}

// The command runs on plain Node: it and what it imports are compiled beside their sources.
const compiler = join(repository, 'node_modules', '.bin', 'tsc');
const tsconfig = join(suite, 'tsconfig.command.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(repository, 'tsconfig.json'),
    compilerOptions: { noEmit: false, rootDir: '.', outDir: '.', rewriteRelativeImportExtensions: true },
    files: ['specs/conformance/cli.ts'],
    include: [],
  }),
);
execFileSync(compiler, ['-p', tsconfig], { cwd: suite, stdio: 'inherit' });
rmSync(tsconfig);
console.log(`conformance: suite/ holds ${targetSpecs.length} spec files and the command`);
