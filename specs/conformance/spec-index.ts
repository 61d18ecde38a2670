/**
 * Which spec files name which rules: every spec and browser run under specs/, read as text, each [#id] in it
 * counted. The catalogue spec and docs/fidelity.md are built from this one index.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import { rulesOf } from './report.ts';

const specFile = /\.(spec|e2e)\.ts$/;

/** The source of every spec file, by its path from the repository root. */
export async function specSources(): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const entries = await readdir(join(repositoryRoot, 'specs'), { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !specFile.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    sources.set(relative(repositoryRoot, path), await readFile(path, 'utf8'));
  }
  return new Map([...sources].sort(([a], [b]) => a.localeCompare(b)));
}

/** A rule named only in a comment proves nothing: only test and describe titles count. */
const withoutComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** For each rule id named in a title, the spec files that name it and how often. */
export function specsByRule(sources: Map<string, string>): Map<string, { file: string; count: number }[]> {
  const index = new Map<string, { file: string; count: number }[]>();
  for (const [file, source] of sources) {
    const counts = new Map<string, number>();
    for (const id of rulesOf(withoutComments(source))) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, count] of counts) index.set(id, [...(index.get(id) ?? []), { file, count }]);
  }
  return index;
}
