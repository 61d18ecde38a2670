/**
 * The conformance report: every documented rule, the specs that prove it, and whether they passed, as Markdown
 * (for CI summaries) and HTML, in reports/. Each test runner leaves its results as JSON; the report is written
 * again from all of them after each runner finishes.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { rules, sourceLabel } from './rules.ts';

export interface SpecResult {
  title: string;
  file: string;
  state: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped (a prerequisite the target lacks). */
  note?: string;
  /** Why it failed: the assertion's message (expected and received), then the spec's own lines of the stack. */
  failure?: string;
}

/**
 * A spec file's path as the user sees it: from where the conformance command was started (its
 * CONFORMANCE_PATHS_FROM), so an installed package's files read node_modules/@hybrid-client-kit/conformance/...
 */
export const specPath = (file: string): string =>
  relative(process.env.CONFORMANCE_PATHS_FROM ?? process.cwd(), file);

/** What a failed spec's error says, its stack trimmed to the lines of the spec file itself. */
export function failureText(
  error: { message?: string; stack?: string; diff?: string },
  specFile: string,
): string {
  const message = stripVTControlCharacters(error.message ?? 'failed').trim();
  const ownLines = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.includes(specFile))
    .map((line) => `  ${line.trim().replace(specFile, specPath(specFile))}`);
  const diff = error.diff ? [stripVTControlCharacters(error.diff).trim()] : [];
  return [message, ...diff, ...ownLines].join('\n');
}

/** reports/ where the suite runs, or the folder the conformance command was given (--report-dir). */
export const reportFolder = process.env.CONFORMANCE_REPORT_DIR
  ? resolve(process.env.CONFORMANCE_REPORT_DIR)
  : join(process.cwd(), 'reports');
const resultFile = (runner: string) => join(reportFolder, `results-${runner}.json`);

/** Text safe inside HTML and XML, attribute values included. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export const rulesOf = (title: string): string[] =>
  [...title.matchAll(/\[#([a-z0-9_-]+)\]/g)].map((match) => match[1] as string);

export async function clearResults(): Promise<void> {
  await mkdir(reportFolder, { recursive: true });
  for (const name of await readdir(reportFolder))
    if (name.startsWith('results-')) await rm(join(reportFolder, name));
}

export async function saveResults(runner: string, results: SpecResult[]): Promise<void> {
  await mkdir(reportFolder, { recursive: true });
  await writeFile(resultFile(runner), JSON.stringify(results));
}

type Verdict = 'pass' | 'FAIL' | 'skipped' | 'not run';

/** What the report is about: the server, the time, the commit of the kit. */
function runContext(): RunContext {
  let commit = 'unknown (not a git checkout)';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
  } catch {}
  return {
    target: process.env.CONFORMANCE_ISSUER ?? 'the bundled mock identity server (in-process)',
    againstAnotherServer: Boolean(process.env.CONFORMANCE_ISSUER),
    date: new Date().toISOString(),
    commit,
  };
}

export interface RunContext {
  target: string;
  /** Run against a server named by CONFORMANCE_ISSUER: the specs that look inside the in-process mock do not run. */
  againstAnotherServer: boolean;
  date: string;
  commit: string;
}

/** The report in its three forms, from the specs' results: Markdown, HTML, and JUnit XML. */
export function renderReports(
  results: SpecResult[],
  context: RunContext,
): { markdown: string; html: string; junit: string; failed: string[] } {
  const rows = rules.map((rule) => {
    const specs = results.filter((result) => rulesOf(result.title).includes(rule.id));
    const verdict: Verdict =
      specs.length === 0
        ? 'not run'
        : specs.some((spec) => spec.state === 'failed')
          ? 'FAIL'
          : specs.some((spec) => spec.state === 'passed')
            ? 'pass'
            : 'skipped';
    return { rule, specs, verdict };
  });
  // Failures first, then passes, then what did not run; the catalogue's order within each.
  const order: Verdict[] = ['FAIL', 'pass', 'skipped', 'not run'];
  rows.sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
  const failedSpecs = results.filter((spec) => spec.state === 'failed');

  const counts = (verdict: Verdict) => rows.filter((row) => row.verdict === verdict).length;
  const summary = `${rows.length} rules: ${counts('pass')} pass, ${counts('FAIL')} fail, ${counts('skipped')} skipped, ${counts('not run')} not run`;
  const notRunReason = context.againstAnotherServer
    ? "its specs need the in-process mock (its state, clock or seeded clients), so they run only in the kit's own npm test"
    : 'no spec naming it ran in this run';
  const countsExplained = [
    'skipped: its specs ran but were skipped, each with the reason (a test user, time control or the admin API the target lacks)',
    `not run: ${notRunReason}`,
  ];
  const indented = (text: string) =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
  const markdown = [
    '# Conformance report',
    '',
    summary,
    '',
    ...countsExplained.map((line) => `- ${line}`),
    '',
    ...(failedSpecs.length > 0
      ? [
          '## Failures',
          '',
          ...failedSpecs.flatMap((spec) => [
            `- ❌ ${spec.title} (${spec.file})`,
            '',
            indented(spec.failure ?? 'failed'),
            '',
          ]),
        ]
      : []),
    '| rule | verdict | specs (passed / run) | source |',
    '| --- | --- | --- | --- |',
    ...rows.map(({ rule, specs, verdict }) => {
      const passed = specs.filter((spec) => spec.state === 'passed').length;
      const run = specs.filter((spec) => spec.state !== 'skipped').length;
      const notes = [...new Set(specs.map((spec) => spec.note).filter(Boolean))].join('; ');
      return `| **${rule.id}**: ${rule.rule} | ${verdict}${notes ? ` (${notes})` : ''} | ${passed} / ${run} | ${rule.reason ? `the kit's choice: ${rule.reason}` : (rule.sources ?? []).map(sourceLabel).join('; ')} |`;
    }),
    '',
    '## Specs by rule',
    '',
    ...rows.flatMap(({ rule, specs }) => [
      `### ${rule.id}`,
      '',
      ...specs.map(
        (spec) =>
          `- ${spec.state === 'passed' ? '✅' : spec.state === 'failed' ? '❌' : '⏭️'} ${spec.title} (${spec.file})${spec.note ? ` — ${spec.note}` : ''}`,
      ),
      '',
    ]),
  ].join('\n');

  const stateClass = (spec: SpecResult) =>
    spec.state === 'passed' ? 'pass' : spec.state === 'failed' ? 'FAIL' : 'skipped';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conformance report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}details{border-top:1px solid #dde;padding:.35rem 0}
summary{cursor:pointer}summary .id{font-weight:600}.verdict{display:inline-block;min-width:4.5rem;font-weight:600}
.pass{color:#136c2e}.FAIL{color:#a4000f}.skipped,.not{color:#8a6d00}ul{margin:.3rem 0 .3rem 1rem;padding-left:1rem}
li{margin:.1rem 0}code{font-size:.9em;color:#445}.sources{color:#445;font-size:.9em;margin:.2rem 0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{color:#445}dd{margin:0}</style></head><body>
<h1>Conformance report</h1>
<dl><dt>target</dt><dd>${escapeHtml(context.target)}</dd><dt>run</dt><dd>${escapeHtml(context.date)}</dd>
<dt>commit</dt><dd>${escapeHtml(context.commit)}</dd><dt>result</dt><dd>${escapeHtml(summary)}</dd></dl>
<ul>${countsExplained.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>
<p>Each rule opens to the specs that prove it (file and title) and its sources; broken rules are open.</p>
${rows
  .map(
    ({ rule, specs, verdict }) =>
      `<details${verdict === 'FAIL' ? ' open' : ''}><summary><span class="verdict ${verdict.split(' ')[0]}">${verdict}</span> <span class="id">${escapeHtml(rule.id)}</span>: ${escapeHtml(rule.rule)} <small>(${specs.filter((spec) => spec.state === 'passed').length} / ${specs.filter((spec) => spec.state !== 'skipped').length})</small></summary>
<ul>${specs
        .map(
          (spec) =>
            `<li class="${stateClass(spec)}">${escapeHtml(spec.title)} <code>${escapeHtml(spec.file)}</code>${spec.note ? ` <em>(${escapeHtml(spec.note)})</em>` : ''}${spec.failure ? `<pre>${escapeHtml(spec.failure)}</pre>` : ''}</li>`,
        )
        .join('')}</ul>
<div class="sources">${rule.reason ? `The kit's choice: ${escapeHtml(rule.reason)} ` : ''}${(rule.sources ?? []).map((source) => `<a href="${escapeHtml(source.url)}">${escapeHtml(source.title)}</a> (${escapeHtml(source.kind)})`).join('; ')}</div></details>`,
  )
  .join('\n')}
</body></html>`;

  // JUnit XML, which CI systems read: a test case per rule, failed when one of its specs failed.
  const escapeXml = escapeHtml;
  const junit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Hybrid Client Kit conformance" tests="${rows.length}" failures="${counts('FAIL')}" skipped="${counts('skipped') + counts('not run')}">
<testsuite name="conformance: ${escapeXml(context.target)}" tests="${rows.length}" failures="${counts('FAIL')}" skipped="${counts('skipped') + counts('not run')}" timestamp="${escapeXml(context.date)}">
${rows
  .map(({ rule, specs, verdict }) => {
    const failedOfRule = specs.filter((spec) => spec.state === 'failed');
    const body =
      verdict === 'FAIL'
        ? `<failure message="${escapeXml(failedOfRule[0]?.failure?.split('\n')[0] ?? 'failed')}">${escapeXml(failedOfRule.map((spec) => `${spec.file}: ${spec.title}\n${spec.failure ?? ''}`).join('\n\n'))}</failure>`
        : verdict === 'pass'
          ? ''
          : `<skipped message="${escapeXml(verdict === 'not run' ? `not run: ${notRunReason}` : [...new Set(specs.map((spec) => spec.note).filter(Boolean))].join('; ') || 'skipped')}"/>`;
    return `<testcase classname="${escapeXml(rule.area)}" name="${escapeXml(`${rule.id}: ${rule.rule}`)}">${body}</testcase>`;
  })
  .join('\n')}
</testsuite>
</testsuites>
`;

  return {
    markdown,
    html,
    junit,
    failed: rows.filter((row) => row.verdict === 'FAIL').map((row) => row.rule.id),
  };
}

export async function writeConformanceReport(): Promise<{ failed: string[]; paths: string[] }> {
  const results: SpecResult[] = [];
  for (const name of await readdir(reportFolder)) {
    if (name.startsWith('results-'))
      results.push(...(JSON.parse(await readFile(join(reportFolder, name), 'utf8')) as SpecResult[]));
  }
  const { markdown, html, junit, failed } = renderReports(results, runContext());
  await mkdir(reportFolder, { recursive: true });
  await writeFile(join(reportFolder, 'conformance.md'), markdown);
  await writeFile(join(reportFolder, 'conformance.html'), html);
  await writeFile(join(reportFolder, 'conformance.junit.xml'), junit);
  // The last runner's report is the whole one: it replaces what an earlier runner put in the CI summary.
  if (process.env.GITHUB_STEP_SUMMARY) await writeFile(process.env.GITHUB_STEP_SUMMARY, markdown);
  return {
    failed,
    paths: ['conformance.md', 'conformance.html', 'conformance.junit.xml'].map((name) =>
      join(reportFolder, name),
    ),
  };
}

export async function reportAfter(runner: string, results: SpecResult[]): Promise<void> {
  await saveResults(runner, results);
  const { failed, paths } = await writeConformanceReport();
  for (const skipped of results.filter((result) => result.state === 'skipped' && result.note)) {
    console.log(`skipped: ${skipped.title} (${skipped.note})`);
  }
  // Relative when under this folder; absolute when elsewhere (a --report-dir of the conformance command).
  const shown = (path: string) =>
    relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);
  const where = `conformance report: ${paths.map(shown).join(', ')}`;
  console.log(failed.length > 0 ? `${where}\nrules broken: ${failed.join(', ')}` : where);
}
