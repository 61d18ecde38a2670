/**
 * The conformance report: every documented rule, the specs that prove it, and whether they passed, as Markdown
 * (for CI summaries) and HTML, in reports/. Each test runner leaves its results as JSON; the report is written
 * again from all of them after each runner finishes.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rules, sourceLabel } from './rules.ts';

export interface SpecResult {
  title: string;
  file: string;
  state: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped (a prerequisite the target lacks). */
  note?: string;
}

export const reportFolder = join(process.cwd(), 'reports');
const resultFile = (runner: string) => join(reportFolder, `results-${runner}.json`);

export const rulesOf = (title: string): string[] =>
  [...title.matchAll(/\[#([a-z0-9-]+)\]/g)].map((match) => match[1] as string);

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

export async function writeConformanceReport(): Promise<{ failed: string[]; path: string }> {
  const results: SpecResult[] = [];
  for (const name of await readdir(reportFolder)) {
    if (name.startsWith('results-'))
      results.push(...(JSON.parse(await readFile(join(reportFolder, name), 'utf8')) as SpecResult[]));
  }
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

  const counts = (verdict: Verdict) => rows.filter((row) => row.verdict === verdict).length;
  const summary = `${rows.length} rules: ${counts('pass')} pass, ${counts('FAIL')} fail, ${counts('skipped')} skipped, ${counts('not run')} not run`;
  const markdown = [
    '# Conformance report',
    '',
    summary,
    '',
    '| rule | verdict | specs (passed / run) | source |',
    '| --- | --- | --- | --- |',
    ...rows.map(({ rule, specs, verdict }) => {
      const passed = specs.filter((spec) => spec.state === 'passed').length;
      const run = specs.filter((spec) => spec.state !== 'skipped').length;
      const notes = [...new Set(specs.map((spec) => spec.note).filter(Boolean))].join('; ');
      return `| **${rule.id}**: ${rule.rule} | ${verdict}${notes ? ` (${notes})` : ''} | ${passed} / ${run} | ${rule.sources.map(sourceLabel).join('; ')} |`;
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

  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conformance report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.3rem .6rem;vertical-align:top;text-align:left}
.pass{color:#136c2e}.FAIL{color:#a4000f;font-weight:700}.skipped,.not{color:#8a6d00}li{margin:.15rem 0}</style></head><body>
<h1>Conformance report</h1><p>${escapeHtml(summary)}</p><table><thead><tr><th>rule</th><th>verdict</th><th>specs</th><th>source</th></tr></thead><tbody>
${rows
  .map(
    ({ rule, specs, verdict }) =>
      `<tr><td><strong>${escapeHtml(rule.id)}</strong><br>${escapeHtml(rule.rule)}</td><td class="${verdict.split(' ')[0]}">${verdict}</td><td><ul>${specs
        .map(
          (spec) =>
            `<li class="${spec.state === 'passed' ? 'pass' : spec.state === 'failed' ? 'FAIL' : 'skipped'}">${escapeHtml(spec.title)}${spec.note ? ` <em>(${escapeHtml(spec.note)})</em>` : ''}</li>`,
        )
        .join('')}</ul></td><td>${escapeHtml(rule.sources.map(sourceLabel).join('; '))}</td></tr>`,
  )
  .join('\n')}
</tbody></table></body></html>`;

  await mkdir(reportFolder, { recursive: true });
  await writeFile(join(reportFolder, 'conformance.md'), markdown);
  await writeFile(join(reportFolder, 'conformance.html'), html);
  // The last runner's report is the whole one: it replaces what an earlier runner put in the CI summary.
  if (process.env.GITHUB_STEP_SUMMARY) await writeFile(process.env.GITHUB_STEP_SUMMARY, markdown);
  return {
    failed: rows.filter((row) => row.verdict === 'FAIL').map((row) => row.rule.id),
    path: join(reportFolder, 'conformance.md'),
  };
}

export async function reportAfter(runner: string, results: SpecResult[]): Promise<void> {
  await saveResults(runner, results);
  const { failed, path } = await writeConformanceReport();
  for (const skipped of results.filter((result) => result.state === 'skipped' && result.note)) {
    console.log(`skipped: ${skipped.title} (${skipped.note})`);
  }
  const where = `conformance report: ${path}`;
  console.log(failed.length > 0 ? `${where}\nrules broken: ${failed.join(', ')}` : where);
}
