/**
 * docs/fidelity.md, generated from the rule catalogue: one row per behaviour an application can observe — what
 * AVEVA Data Hub does, the source, what the mock does, and the specs that prove it. `npm run docs:fidelity`
 * writes it; the catalogue spec fails when the committed page is not what the catalogue generates.
 */
import { join } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import { bases, basisOf, type Rule, rules } from './rules.ts';

export const fidelityPath = join(repositoryRoot, 'docs', 'fidelity.md');

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function fidelityMarkdown(specs: Map<string, { file: string; count: number }[]>): string {
  const areas = [...new Set(rules.map((rule) => rule.area))];
  const divergences = rules.filter((rule) => rule.divergence);
  const row = (rule: Rule) => {
    const sourceLinks = rule.sources.map((source) => `[${source.title}](${source.url}) (${source.kind})`);
    const proofs = (specs.get(rule.id) ?? []).map(
      ({ file, count }) => `[${file.replace(/^specs\//, '')}](../${file})${count > 1 ? ` ×${count}` : ''}`,
    );
    const mock = rule.mock ? `${rule.divergence ? '**Differs:** ' : ''}${rule.mock}` : 'The same.';
    const basis = rule.kitChoice ? `${basisOf(rule)}: ${rule.kitChoice}` : basisOf(rule);
    return `| **${rule.id}**: ${cell(rule.rule)} | ${cell(rule.dataHub)} | ${cell(basis)} | ${cell(sourceLinks.join('; '))} | ${cell(mock)} | ${proofs.join('<br>')} |`;
  };
  return [
    '# Fidelity: the mock beside AVEVA Data Hub',
    '',
    '<!-- Generated from specs/conformance/rules.ts by `npm run docs:fidelity`; edit the catalogue, not this page. -->',
    '',
    'What an application can observe of the Data Hub identity server and API, where that is written down, what the',
    "kit's mock identity server does, and the specs that prove it. Where AVEVA documents nothing, the mock follows",
    'IdentityServer4, on which the Data Hub identity server is built, and the source says *not confirmed for Data',
    'Hub*. The specs named in a row tag their tests with the rule id (`[#id]`); `npm test` runs them and writes the',
    'conformance report.',
    '',
    `${rules.length} behaviours, by what each rests on: ${bases.map((basis) => `${rules.filter((rule) => basisOf(rule) === basis).length} ${basis}`).join('; ')}.`,
    'Only the first kind is settled for Data Hub: a sample shows what worked for AVEVA, an IdentityServer4 default is',
    "what Data Hub's identity server does unless AVEVA changed it, and the kit's choices say why they were made.",
    '',
    `${divergences.length} known divergences: ${divergences.map((rule) => `[${rule.id}](#${rule.area.toLowerCase().replaceAll(' ', '-')})`).join(', ')}.`,
    '',
    ...areas.flatMap((area) => [
      `## ${area}`,
      '',
      '| behaviour | AVEVA Data Hub | rests on | source | the mock | specs |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rules.filter((rule) => rule.area === area).map(row),
      '',
    ]),
  ].join('\n');
}
