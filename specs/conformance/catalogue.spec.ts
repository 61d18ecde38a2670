/**
 * The rule catalogue and the specs agree: every documented rule is named by at least one spec, and every rule a
 * spec names is in the catalogue (a typo would otherwise prove nothing).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/processes.ts';
import { rulesOf } from './report.ts';
import { rules } from './rules.ts';

async function specSources(): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const folders = ['specs/mock-idp', 'specs/sample-app', 'specs/kit', 'specs/e2e'];
  for (const folder of folders) {
    for (const name of await readdir(join(repositoryRoot, folder))) {
      if (/\.(spec|e2e)\.ts$/.test(name))
        sources.set(`${folder}/${name}`, await readFile(join(repositoryRoot, folder, name), 'utf8'));
    }
  }
  return sources;
}

describe('the conformance catalogue', () => {
  it('has unique rule ids', () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });

  it('has every rule proved by at least one spec', async () => {
    const named = new Set([...(await specSources()).values()].flatMap((source) => rulesOf(source)));
    expect(rules.map((rule) => rule.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it('knows every rule the specs name', async () => {
    const known = new Set(rules.map((rule) => rule.id));
    const unknown = [...(await specSources())].flatMap(([file, source]) =>
      rulesOf(source)
        .filter((id) => !known.has(id))
        .map((id) => `${file}: [${id}]`),
    );
    expect(unknown).toEqual([]);
  });
});
