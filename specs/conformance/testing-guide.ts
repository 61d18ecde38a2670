/**
 * The scenario table of docs/testing-your-app.md, generated from the scenario catalogue: the page's words around it
 * are written by hand, the table between its markers is rewritten by `npm run docs:testing`, and the catalogue spec
 * fails when the committed table is not what the catalogue gives.
 */
import { join } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import { type ScenarioDefinition, scenarioCatalogue } from '../../mock-idp/src/scenarios/catalogue.ts';

export const testingGuidePath = join(repositoryRoot, 'docs', 'testing-your-app.md');
const start =
  '<!-- scenarios: generated from mock-idp/src/scenarios/catalogue.ts by `npm run docs:testing` -->';
const end = '<!-- scenarios: end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const verdicts = {
  accept: '**accept**',
  refuse: '**refuse**',
  either: 'accept or refuse',
  recover: '**recover**',
} as const;

export function scenarioTable(): string {
  const row = (scenario: ScenarioDefinition) =>
    `| \`${scenario.name}\` | ${scenario.points.join(', ')} | ${cell(scenario.changes)} | ${verdicts[scenario.expect]}: ${cell(scenario.why)} | ${scenario.references.map((reference) => `[${cell(reference.title)}](${reference.url})`).join('<br>')} |`;
  return [
    start,
    '',
    '| scenario | response | what it changes | a correct app | reference |',
    '| --- | --- | --- | --- | --- |',
    ...(scenarioCatalogue as readonly ScenarioDefinition[]).map(row),
    '',
    end,
  ].join('\n');
}

/** The page with its table replaced by the generated one. */
export function withScenarioTable(page: string): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${testingGuidePath} has lost its scenario markers`);
  return page.slice(0, from) + scenarioTable() + page.slice(to + end.length);
}
