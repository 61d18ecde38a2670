/**
 * `npm run bench` keeps working: it runs here at a small scale (the figures themselves come from full runs, never
 * from timed tests) and must finish with every row measured (the mock's and its peer's, node-oidc-provider's), no
 * error, and its pages. specs/kit/load-command.spec.ts does the same for `npm run load`.
 */
// vitest: long-running
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../../harness/processes.ts';

let output: string;
beforeAll(async () => {
  output = await mkdtemp(join(tmpdir(), 'bench-output-'));
});
afterAll(() => rm(output, { recursive: true, force: true }));

describe('the benchmark command', () => {
  it('npm run bench measures every row with no error and writes the Markdown and JSON pages', async () => {
    const run = await runNpmScript('bench', { BENCH_OUTPUT: output, BENCH_SCALE: '0.01' });
    expect(run.code, run.output).toBe(0);
    const results = JSON.parse(await readFile(join(output, 'benchmarks.json'), 'utf8'));
    const measured = [
      ...results.mockIdp.logins,
      ...results.mockIdp.refreshes,
      ...results.mockIdp.passwordSignIns,
      ...results.peer.logins,
      ...results.peer.refreshes,
      ...results.sampleApp.roundTrips,
    ];
    expect(measured.map((row: { concurrency: number }) => row.concurrency)).toEqual([
      1, 10, 100, 1, 10, 100, 1, 10, 100, 1, 10, 100, 1, 10, 100, 1, 10,
    ]);
    // The servers' own CPU per operation, beside the peer's: read from /proc, so on Linux only.
    for (const row of [
      ...results.mockIdp.logins,
      ...results.mockIdp.refreshes,
      ...results.peer.logins,
      ...results.peer.refreshes,
    ])
      expect(row.serverCpuMsPerOperation).toEqual(process.platform === 'linux' ? expect.any(Number) : null);
    // The whole machine's CPU per operation, which the bound on 1.2× the peer is worked out from.
    for (const row of [...results.mockIdp.logins, ...results.mockIdp.refreshes])
      expect(row.machineCpuMsPerOperation).toBeGreaterThan(0);
    // The RP plan, one worker and two: every module it ran passed, and the machine's CPU was read.
    expect(results.rpPlan.map((row: { workers: number }) => row.workers)).toEqual([1, 2]);
    for (const row of results.rpPlan) {
      expect(row.modules).toBeGreaterThan(3);
      expect(row.passed).toBe(row.modules);
      expect(row.machineCpuSeconds).toBeGreaterThan(0);
    }
    expect(results.limits.passwordChecks.errors).toBe(0);
    expect(results.limits.passwordChecks.operations).toBeGreaterThan(0);
    for (const row of measured) {
      expect(row.errors).toBe(0);
      expect(row.operations).toBeGreaterThan(0);
    }
    expect(results.mockIdp.memory).toHaveLength(3);
    // A handful of sessions is too few for a memory figure; only its presence is checked here.
    expect(Number.isFinite(results.sampleApp.memoryPerSession.bytesPerSession)).toBe(true);
    const page = await readFile(join(output, 'benchmarks.md'), 'utf8');
    expect(page).toContain('## Mock identity server: hybrid logins');
    expect(page).toContain('## The peer: node-oidc-provider');
    expect(page).toContain('CPU, peer ÷ mock');
    expect(page).toContain('## Mock identity server: password sign-ins');
    expect(page).toContain("## What 1.2× the peer's rate would take");
    for (const rows of [results.limits.signingOnlyRefreshes, results.limits.signingOnlyExpressRefreshes])
      expect(rows.map((row: { errors: number }) => row.errors)).toEqual([0, 0, 0]);
    expect(page).toMatch(
      /^\| 100 \| [\d.]+ \| [\d.]+× \| [\d.]+ \| [\d.]+ \| [\d.]+× \| [\d.]+ \| [\d.]+ \|$/m,
    );
    expect(page).toMatch(/^\| login \| 100 \| [\d.]+ \| [\d.]+ \| /m);
    expect(page).toMatch(/^\| refresh \| 1 \| [\d.]+ \| [\d.]+ \| /m);
  }, 300_000);
});
