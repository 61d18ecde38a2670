/**
 * The rule catalogue and the specs agree: every rule is named by at least one spec, every rule a spec names is
 * in the catalogue (a typo would otherwise prove nothing), every rule has a source a reader can open, and
 * docs/fidelity.md is what the catalogue generates.
 */
// conformance: runs against any target (it checks the catalogue, not a server)
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fidelityMarkdown, fidelityPath } from './fidelity.ts';
import { rules } from './rules.ts';
import { specSources, specsByRule } from './spec-index.ts';

describe('the conformance catalogue', () => {
  it('has unique rule ids', () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });

  it('has every rule proved by at least one spec', async () => {
    const named = specsByRule(await specSources());
    expect(rules.map((rule) => rule.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it('knows every rule the specs name', async () => {
    const known = new Set(rules.map((rule) => rule.id));
    const unknown = [...specsByRule(await specSources())]
      .filter(([id]) => !known.has(id))
      .flatMap(([id, files]) => files.map(({ file }) => `${file}: [#${id}]`));
    expect(unknown).toEqual([]);
  });

  it('gives every rule a source that can be opened (an https address)', () => {
    const unsourced = rules.filter(
      (rule) =>
        rule.sources.length === 0 || rule.sources.some((source) => !source.url.startsWith('https://')),
    );
    expect(unsourced.map((rule) => rule.id)).toEqual([]);
  });

  it('has docs/fidelity.md as the catalogue generates it (npm run docs:fidelity)', async () => {
    const generated = fidelityMarkdown(specsByRule(await specSources()));
    expect(await readFile(fidelityPath, 'utf8')).toBe(generated);
  });
});
