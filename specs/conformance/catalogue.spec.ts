/**
 * The rule catalogue and the specs agree: every rule is named by at least one spec, every rule a spec names is
 * in the catalogue (a typo would otherwise prove nothing), every rule has a source a reader can open, and
 * docs/fidelity.md is what the catalogue generates; and the report it feeds reads right in every form.
 */
// conformance: runs against any target (it checks the catalogue, not a server)
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fidelityMarkdown, fidelityPath } from './fidelity.ts';
import { renderReports, type SpecResult } from './report.ts';
import { basisOf, isKitRule, isRepositoryRoot, kitAreas, rules } from './rules.ts';
import { specSources, specsByRule } from './spec-index.ts';
import { testingGuidePath, withScenarioTable } from './testing-guide.ts';

describe('the conformance catalogue', () => {
  it('has unique rule ids', () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });

  it('has every rule proved by at least one spec', async () => {
    const named = specsByRule(await specSources());
    expect(rules.map((rule) => rule.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it('has each rule named by a test title, never by a describe title (a describe proves nothing by itself)', async () => {
    const inDescribes = [...(await specSources())].flatMap(([file, source]) =>
      [...source.matchAll(/\bdescribe\b[^'"`]*?(['"`])((?:(?!\1)[^\\]|\\.)*)\1/g)]
        .filter((match) => /\[#[a-z0-9_-]+\]/.test(match[2] as string))
        .map((match) => `${file}: ${match[2]}`),
    );
    expect(inDescribes).toEqual([]);
  });

  it('knows every rule the specs name', async () => {
    const known = new Set(rules.map((rule) => rule.id));
    const unknown = [...specsByRule(await specSources())]
      .filter(([id]) => !known.has(id))
      .flatMap(([id, files]) => files.map(({ file }) => `${file}: [#${id}]`));
    expect(unknown).toEqual([]);
  });

  it('gives every Data Hub rule a source, and every source an address that can be opened (https)', () => {
    const unsourced = rules.filter(
      (rule) =>
        (!isKitRule(rule) && rule.sources.length === 0) ||
        (rule.sources ?? []).some((source) => !source.url.startsWith('https://')),
    );
    expect(unsourced.map((rule) => rule.id)).toEqual([]);
  });

  it("has two kinds of rule: every rule of the sample app, the native app, the mock's hardening and the scenarios is the kit's own, with its reason", () => {
    const kitRules = rules.filter(isKitRule);
    expect(
      rules.filter((rule) => kitAreas.includes(rule.area) && !isKitRule(rule)).map((rule) => rule.id),
    ).toEqual([]);
    expect(kitRules.filter((rule) => rule.reason.trim().length < 40).map((rule) => rule.id)).toEqual([]);
    expect(rules.filter((rule) => !isKitRule(rule)).length).toBeGreaterThan(50);
  });

  it('links every source to a page or file, never to a repository root or a bare branch', () => {
    expect(isRepositoryRoot('https://github.com/AVEVA/sample-adh-authentication_hybrid-dotnet')).toBe(true);
    expect(isRepositoryRoot('https://github.com/AVEVA/sample/blob/main')).toBe(true);
    expect(isRepositoryRoot('https://github.com/AVEVA/sample/blob/main/README.md')).toBe(false);
    expect(isRepositoryRoot('https://www.rfc-editor.org/rfc/rfc7636')).toBe(false);
    const rootLinks = rules.flatMap((rule) =>
      (rule.sources ?? [])
        .filter((source) => isRepositoryRoot(source.url))
        .map((source) => `${rule.id}: ${source.url}`),
    );
    expect(rootLinks).toEqual([]);
  });

  it("says why, for every rule no AVEVA or IdentityServer source settles (the kit's choice)", () => {
    const unexplained = rules.filter(
      (rule) =>
        ['standard', 'OpenID Foundation RP test', undefined].includes(rule.sources?.[0]?.kind) &&
        !rule.reason,
    );
    expect(unexplained.map((rule) => rule.id)).toEqual([]);
    expect(rules.filter((rule) => basisOf(rule) === "the kit's choice").every((rule) => rule.reason)).toBe(
      true,
    );
  });

  it('has the scenario table of docs/testing-your-app.md as the scenario catalogue generates it (npm run docs:testing)', async () => {
    const page = await readFile(testingGuidePath, 'utf8');
    expect(page).toBe(withScenarioTable(page));
  });

  it('has docs/fidelity.md as the catalogue generates it (npm run docs:fidelity)', async () => {
    const generated = fidelityMarkdown(specsByRule(await specSources()));
    expect(await readFile(fidelityPath, 'utf8')).toBe(generated);
  });
});

describe('the conformance report', () => {
  const context = {
    target: 'https://idp.example.test/identity',
    againstAnotherServer: true,
    date: '2026-11-29T00:00:00.000Z',
    commit: 'abc1234',
  };
  const [first, second] = rules;
  const results: SpecResult[] = [
    { title: `[#${first?.id}] holds`, file: 'specs/a.spec.ts', state: 'passed' },
    { title: `[#${second?.id}] holds too`, file: 'specs/b.spec.ts', state: 'passed' },
    {
      title: `[#${second?.id}] breaks`,
      file: 'specs/b.spec.ts',
      state: 'failed',
      failure: 'expected 1 to be 2 // Object.is equality\n  at specs/b.spec.ts:3:9',
    },
  ];
  const report = renderReports(results, context);

  it('names the broken rules', () => {
    expect(report.failed).toEqual([second?.id]);
  });

  it('writes JUnit XML: a test case per rule, the broken one first, failed with its assertion message, the unproved ones skipped with the reason', () => {
    expect(report.junit).toMatch(
      new RegExp(
        `<testsuites name="Hybrid Client Kit conformance" tests="${rules.length}" failures="1" skipped="${rules.length - 2}">`,
      ),
    );
    expect(report.junit).toContain(
      `<failure message="expected 1 to be 2 // Object.is equality">specs/b.spec.ts: [#${second?.id}] breaks\nexpected 1 to be 2 // Object.is equality\n  at specs/b.spec.ts:3:9</failure>`,
    );
    expect(report.junit.match(/<testcase [^>]*name="([^:"]+):/)?.[1]).toBe(second?.id);
    expect(report.junit).toContain(`name="${first?.id}: ${first?.rule.replace(/"/g, '&#34;')}"></testcase>`);
    expect(
      report.junit.match(/<skipped message="not run: its specs need the in-process mock [^"]*"\/>/g),
    ).toHaveLength(rules.length - 2);
  });

  it('puts the failures first in Markdown, each with its assertion message, and explains every count', () => {
    const failures = report.markdown.indexOf('## Failures');
    expect(failures).toBeGreaterThan(0);
    expect(report.markdown.indexOf('expected 1 to be 2 // Object.is equality')).toBeGreaterThan(failures);
    expect(report.markdown.match(/^\| \*\*([^*]+)\*\*/m)?.[1]).toBe(second?.id);
    expect(report.markdown).toContain('- not run: its specs need the in-process mock');
  });

  it('writes compact HTML: the target, time and commit, a collapsed section per rule, the broken one open', () => {
    expect(report.html).toContain('<dd>https://idp.example.test/identity</dd>');
    expect(report.html).toContain('<dd>abc1234</dd>');
    expect(report.html.match(/<details/g)).toHaveLength(rules.length);
    expect(report.html.match(/<details open>/g)).toHaveLength(1);
    expect(report.html).toContain('<code>specs/b.spec.ts</code>');
    expect(report.html.indexOf('<details open>')).toBe(report.html.indexOf('<details'));
    expect(report.html).toContain(
      '<pre>expected 1 to be 2 // Object.is equality\n  at specs/b.spec.ts:3:9</pre>',
    );
  });
});
