/** Collects the vitest results for the conformance report. */
import type { Reporter, TestModule } from 'vitest/node';
import { clearResults, failureText, reportAfter, type SpecResult, specPath } from './report.ts';

export default class ConformanceReporter implements Reporter {
  async onTestRunStart(): Promise<void> {
    await clearResults();
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const results: SpecResult[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'pending') continue;
        results.push({
          title: test.fullName,
          file: specPath(module.moduleId),
          state: result.state,
          ...(result.state === 'skipped' && result.note && { note: result.note }),
          ...(result.state === 'failed' && {
            failure: failureText(result.errors?.[0] ?? { message: 'failed' }, module.moduleId),
          }),
        });
      }
    }
    await reportAfter('vitest', results);
  }
}
