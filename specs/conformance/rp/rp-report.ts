/**
 * The relying-party plan's report, in the OP mode's three forms: Markdown and compact HTML for people, JUnit XML
 * for CI (a test case per module, named by module). Failures first, then advisories, then what was not run and
 * why, then passes; each module with its evidence, its references and, when it fails, why the check matters.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../report.ts';
import type { Evidence } from './modules.ts';
import type { ModuleResult, Outcome } from './plan.ts';

export interface RpReport {
  app: string;
  issuer: string;
  startedAt: string;
  results: ModuleResult[];
}

const order: Outcome[] = ['fail', 'advisory', 'not-run', 'pass'];
const sorted = (results: ModuleResult[]) =>
  [...results].sort((a, b) => order.indexOf(a.outcome) - order.indexOf(b.outcome));

export function counts(results: ModuleResult[]): Record<Outcome, number> {
  const tally: Record<Outcome, number> = { pass: 0, fail: 0, advisory: 0, 'not-run': 0 };
  for (const result of results) tally[result.outcome] += 1;
  return tally;
}

export const summaryLine = (results: ModuleResult[]): string => {
  const { pass, fail, advisory, 'not-run': notRun } = counts(results);
  return `${results.length} modules: ${pass} pass, ${fail} fail, ${advisory} advisory, ${notRun} not run`;
};

/** What the app did, in words: the module's evidence. */
export function evidenceText(result: ModuleResult): string {
  const scenarios = result.module.scenarios.map((scenario) => scenario.name);
  const evidence = result.evidence;
  const parts = [
    scenarios.length > 0 ? `the mock sent: ${scenarios.join(' + ')}` : 'the mock answered as usual',
  ];
  if (evidence) parts.push(...describe(evidence));
  return parts.join('; ');
}

function describe(evidence: Evidence): string[] {
  const parts = [
    evidence.answeredInMs === null
      ? 'the app gave no answer within the time limit'
      : `the app answered ${evidence.landed?.status ?? '?'} at ${evidence.landed?.url} in ${evidence.answeredInMs} ms`,
    evidence.signedIn ? 'signed in' : 'not signed in',
    evidence.codeRedeemed ? 'code redeemed' : 'code not redeemed',
    evidence.userinfoCalled ? 'UserInfo called' : 'UserInfo not called',
  ];
  if (evidence.stackTrace) parts.push('a stack trace on the page');
  if (evidence.refresh)
    parts.push(
      evidence.refresh.attempted ? `refresh answered ${evidence.refresh.status}` : 'no refresh asked',
    );
  if (evidence.recovered !== undefined)
    parts.push(evidence.recovered ? 'the next sign-in worked' : 'the next sign-in failed');
  if (evidence.signOut)
    parts.push(
      `${evidence.signOut.revoked ? 'revoked' : 'did not revoke'}, ${evidence.signOut.endSession ? 'ended the session' : 'did not end the session'}`,
    );
  return parts;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const links = (result: ModuleResult) =>
  result.references.map((reference) => `[${cell(reference.title)}](${reference.url})`).join('<br>');

export function rpMarkdown(report: RpReport): string {
  return [
    '# Relying-party conformance',
    '',
    `App: ${report.app} · identity server: ${report.issuer} · started ${report.startedAt}`,
    '',
    `**${summaryLine(report.results)}.** Advisory modules check a MAY of the standards: reported, never failing the run.`,
    '',
    '| module | outcome | what it checks | evidence | why it matters | reference |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sorted(report.results).map(
      (result) =>
        `| \`${result.module.name}\` | **${result.outcome}**${result.reason ? `: ${cell(result.reason)}` : ''} | ${cell(result.module.checks)} | ${cell(evidenceText(result))} | ${cell(result.why)} | ${links(result)} |`,
    ),
    '',
  ].join('\n');
}

export function rpHtml(report: RpReport): string {
  const rows = sorted(report.results)
    .map(
      (
        result,
      ) => `<details${result.outcome === 'fail' ? ' open' : ''}><summary><b>${escapeHtml(result.outcome)}</b> <code>${escapeHtml(result.module.name)}</code>: ${escapeHtml(result.module.checks)}</summary>
<dl>${result.reason ? `<dt>Why</dt><dd>${escapeHtml(result.reason)}</dd>` : ''}<dt>Evidence</dt><dd>${escapeHtml(evidenceText(result))}</dd><dt>Why it matters</dt><dd>${escapeHtml(result.why)}</dd><dt>References</dt><dd>${result.references.map((reference) => `<a href="${escapeHtml(reference.url)}">${escapeHtml(reference.title)}</a>`).join('<br>')}</dd></dl></details>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relying-party conformance</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}summary{cursor:pointer;padding:.2rem 0}dt{font-weight:600}dd{margin:0 0 .4rem 1rem}</style></head>
<body><h1>Relying-party conformance</h1>
<dl><dt>App</dt><dd>${escapeHtml(report.app)}</dd><dt>Identity server</dt><dd>${escapeHtml(report.issuer)}</dd><dt>Started</dt><dd>${escapeHtml(report.startedAt)}</dd></dl>
<p><b>${escapeHtml(summaryLine(report.results))}.</b></p>
${rows}
</body></html>
`;
}

export function rpJunit(report: RpReport): string {
  const { fail, 'not-run': notRun, advisory } = counts(report.results);
  const cases = report.results
    .map((result) => {
      const name = escapeHtml(result.module.name);
      const time = (result.ms / 1000).toFixed(3);
      const body =
        result.outcome === 'fail'
          ? `<failure message="${escapeHtml(result.reason ?? 'failed')}">${escapeHtml(`${evidenceText(result)}\nWhy it matters: ${result.why}`)}</failure>`
          : result.outcome === 'not-run'
            ? `<skipped message="${escapeHtml(result.reason ?? 'not run')}"/>`
            : result.outcome === 'advisory'
              ? `<skipped message="${escapeHtml(`advisory: ${result.reason ?? ''}`)}"/>`
              : '';
      return `    <testcase classname="rp" name="${name}" time="${time}">${body}</testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Hybrid Client Kit relying-party conformance" tests="${report.results.length}" failures="${fail}" skipped="${notRun + advisory}">
  <testsuite name="rp: ${escapeHtml(report.app)}" tests="${report.results.length}" failures="${fail}" skipped="${notRun + advisory}" timestamp="${escapeHtml(report.startedAt)}">
${cases}
  </testsuite>
</testsuites>
`;
}

/** Writes the three forms into the folder; their paths. */
export async function writeRpReport(folder: string, report: RpReport): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files = [
    [join(folder, 'rp-conformance.md'), rpMarkdown(report)],
    [join(folder, 'rp-conformance.html'), rpHtml(report)],
    [join(folder, 'rp-conformance.junit.xml'), rpJunit(report)],
  ] as const;
  for (const [path, text] of files) await writeFile(path, text);
  // GitHub Actions shows this file on the run's page; a step may write other summaries of its own before it.
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, files[0][1]);
  return files.map(([path]) => path);
}
