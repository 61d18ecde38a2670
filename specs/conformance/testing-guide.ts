/**
 * The scenario table of docs/testing-your-app.md, generated from the scenario catalogue: the page's words around it
 * are written by hand, the table between its markers is rewritten by `npm run docs:testing`, and the catalogue spec
 * fails when the committed table is not what the catalogue gives.
 */
import { join } from 'node:path';
import { repositoryRoot } from '../../harness/processes.ts';
import { type ScenarioDefinition, scenarioCatalogue } from '../../mock-idp/src/scenarios/catalogue.ts';
import { moduleSources, rpModules } from './rp/modules.ts';

export const testingGuidePath = join(repositoryRoot, 'docs', 'testing-your-app.md');
const markers = {
  scenarios: {
    start: '<!-- scenarios: generated from mock-idp/src/scenarios/catalogue.ts by `npm run docs:testing` -->',
    end: '<!-- scenarios: end -->',
  },
  modules: {
    start: '<!-- rp modules: generated from specs/conformance/rp/modules.ts by `npm run docs:testing` -->',
    end: '<!-- rp modules: end -->',
  },
};

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
    '| scenario | response | what it changes | a correct app | reference |',
    '| --- | --- | --- | --- | --- |',
    ...(scenarioCatalogue as readonly ScenarioDefinition[]).map(row),
  ].join('\n');
}

const passes = {
  accept: 'accepts it',
  'refuse-before-redeem': 'refuses it, and never redeems the code',
  refuse: 'refuses it',
  recover: 'answers cleanly, then signs in again',
  either: 'accepts or refuses it, without a crash',
} as const;

export function moduleTable(): string {
  return [
    '| module | what it checks | the app passes when it | scenarios | why it matters |',
    '| --- | --- | --- | --- | --- |',
    ...rpModules.map(
      (module) =>
        `| \`${module.name}\`${module.advisory ? ' (advisory)' : ''} | ${cell(module.checks)} | ${passes[module.verdict]} | ${module.scenarios.map((scenario) => `\`${scenario.name}\``).join(' + ') || 'none'} | ${cell(moduleSources(module).why)} |`,
    ),
  ].join('\n');
}

/** The page with its generated tables replaced by what the catalogues give now. */
export function withScenarioTable(page: string): string {
  let result = page;
  for (const [name, table] of [
    ['scenarios', scenarioTable()],
    ['modules', moduleTable()],
  ] as const) {
    const { start, end } = markers[name];
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${testingGuidePath} has lost its ${name} markers`);
    result = `${result.slice(0, from)}${start}\n\n${table}\n\n${result.slice(to)}`;
  }
  return result;
}
