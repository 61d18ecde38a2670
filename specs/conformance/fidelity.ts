/**
 * docs/fidelity.md, generated from the rule catalogue: one row per behaviour an application can observe — what
 * AVEVA Data Hub does, the source, what the mock does, and the specs that prove it. `npm run docs:fidelity`
 * writes it; the catalogue spec fails when the committed page is not what the catalogue generates.
 */
import { join } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import {
  bases,
  basisOf,
  type DataHubRule,
  isKitRule,
  type KitRule,
  type Rule,
  rules,
  type Source,
} from './rules.ts';

export const fidelityPath = join(repositoryRoot, 'docs', 'fidelity.md');

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** GitHub's anchor of a heading. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replaceAll(' ', '-');
const kitHeading = (area: string) => `${area} (the kit's)`;

export function fidelityMarkdown(specs: Map<string, { file: string; count: number }[]>): string {
  const dataHubRules = rules.filter((rule) => !isKitRule(rule));
  const kitRules = rules.filter(isKitRule);
  const areasOf = (some: Rule[]) => [...new Set(some.map((rule) => rule.area))];
  const divergences = rules.filter((rule) => rule.divergence);
  const linksTo = (some: readonly Source[] = []) =>
    some.map((source) => `[${source.title}](${source.url}) (${source.kind})`).join('; ');
  const proofsOf = (rule: Rule) =>
    (specs.get(rule.id) ?? [])
      .map(
        ({ file, count }) => `[${file.replace(/^specs\//, '')}](../${file})${count > 1 ? ` ×${count}` : ''}`,
      )
      .join('<br>');
  const mockOf = (rule: Rule) =>
    rule.mock ? `${rule.divergence ? '**Differs:** ' : ''}${rule.mock}` : 'The same.';
  const dataHubRow = (rule: DataHubRule) =>
    `| **${rule.id}**: ${cell(rule.rule)} | ${cell(rule.dataHub)} | ${cell(basisOf(rule))} | ${cell(linksTo(rule.sources))} | ${cell(mockOf(rule))} | ${proofsOf(rule)} |`;
  const kitRow = (rule: KitRule) =>
    `| **${rule.id}**: ${cell(rule.rule)} | ${cell(rule.reason)} | ${cell(rule.dataHub ?? '')} | ${cell(linksTo(rule.sources))} | ${proofsOf(rule)} |`;
  return [
    '# Fidelity: the mock beside AVEVA Data Hub',
    '',
    '<!-- Generated from specs/conformance/rules.ts by `npm run docs:fidelity`; edit the catalogue, not this page. -->',
    '',
    'Two kinds of rule. **What Data Hub does**: what an application can observe of the Data Hub identity server and',
    "API, where that is written down, what the kit's mock identity server does, and the specs that prove it. Where",
    'AVEVA documents nothing, the mock follows IdentityServer4, on which the Data Hub identity server is built, and the',
    "source says *not confirmed for Data Hub*. **The kit's own rules**: the sample app, the native app, the hardening",
    'of the mock and its test scenarios, each with why the kit does it and, where there are any, the facts and',
    'standards it builds on. The specs named in a row tag their tests with the rule id (`[#id]`); `npm test` runs',
    'them and writes the conformance report.',
    '',
    `${rules.length} rules: ${dataHubRules.length} of Data Hub (${bases
      .filter((basis) => basis !== "the kit's choice")
      .map((basis) => `${dataHubRules.filter((rule) => basisOf(rule) === basis).length} ${basis}`)
      .join(
        '; ',
      )}) and ${kitRules.length} of the kit. Only the first kind of Data Hub rule is settled: a sample shows`,
    "what worked for AVEVA, and an IdentityServer4 default is what Data Hub's identity server does unless AVEVA",
    'changed it.',
    '',
    `${divergences.length} known divergences: ${divergences.map((rule) => `[${rule.id}](#${anchorOf(isKitRule(rule) ? kitHeading(rule.area) : rule.area)})`).join(', ')}.`,
    '',
    '## What Data Hub does',
    '',
    ...areasOf(dataHubRules).flatMap((area) => [
      `### ${area}`,
      '',
      '| behaviour | AVEVA Data Hub | rests on | source | the mock | specs |',
      '| --- | --- | --- | --- | --- | --- |',
      ...dataHubRules.filter((rule) => rule.area === area).map((rule) => dataHubRow(rule as DataHubRule)),
      '',
    ]),
    "## The kit's own rules",
    '',
    ...areasOf(kitRules).flatMap((area) => [
      `### ${kitHeading(area)}`,
      '',
      '| rule | why | what Data Hub does | builds on | specs |',
      '| --- | --- | --- | --- | --- |',
      ...kitRules.filter((rule) => rule.area === area).map(kitRow),
      '',
    ]),
  ].join('\n');
}
