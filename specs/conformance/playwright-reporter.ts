/** Collects the Playwright results for the conformance report, after the vitest ones. */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { failureText, reportAfter, type SpecResult, specPath } from './report.ts';

export default class ConformanceReporter implements Reporter {
  readonly #results: SpecResult[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const state = result.status === 'passed' ? 'passed' : result.status === 'skipped' ? 'skipped' : 'failed';
    this.#results.push({
      title: test.titlePath().filter(Boolean).slice(2).join(' > '),
      file: specPath(test.location.file),
      state,
      ...(state === 'failed' && {
        failure: failureText(result.error ?? { message: `ended ${result.status}` }, test.location.file),
      }),
    });
  }

  async onEnd(): Promise<void> {
    await reportAfter('playwright', this.#results);
    // playwright.config.ts writes the HTML report on every run, and never opens it.
    console.log('browser report: playwright-report/index.html (npx playwright show-report)');
  }
}
