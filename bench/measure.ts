/** Runs an operation from many concurrent workers and reports its rate, latency percentiles and errors. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  concurrency: number;
  operations: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The first failure, to show what went wrong when errors is not 0. */
  firstError: string | null;
}

export interface Limit {
  /** Stop starting operations after this long. */
  seconds?: number;
  /** Stop after this many operations in all. */
  operations?: number;
}

/** Latencies of one kind of call, collected across workers. */
export class Latencies {
  readonly #samples: number[] = [];

  async time<T>(call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      this.#samples.push(performance.now() - start);
    }
  }

  add(ms: number): void {
    this.#samples.push(ms);
  }

  get count(): number {
    return this.#samples.length;
  }

  percentile(fraction: number): number {
    if (this.#samples.length === 0) return Number.NaN;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
    return round(sorted[Math.max(0, index)] as number, 2);
  }
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * CPU time (user + system, every thread) a process has used so far, in ms, from Linux's /proc (in clock ticks of
 * 10 ms: USER_HZ is 100 on Linux). A server's CPU per operation leaves out the load generator, which shares the
 * machine; null where there is no /proc.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/**
 * `concurrency` workers call `operation(worker)` in a loop until the limit. Each worker has its own state (its
 * session, its refresh token), prepared by the caller and looked up by the worker index.
 */
export async function measure(
  concurrency: number,
  limit: Limit,
  operation: (worker: number) => Promise<void>,
): Promise<Measurement> {
  const latencies = new Latencies();
  let started = 0;
  let errors = 0;
  let firstError: string | null = null;
  const start = performance.now();
  const deadline = limit.seconds === undefined ? Number.POSITIVE_INFINITY : start + limit.seconds * 1000;
  const maxOperations = limit.operations ?? Number.POSITIVE_INFINITY;

  const worker = async (index: number) => {
    while (started < maxOperations && performance.now() < deadline) {
      started += 1;
      const begin = performance.now();
      try {
        await operation(index);
        latencies.add(performance.now() - begin);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - start) / 1000;
  return {
    concurrency,
    operations: latencies.count,
    errors,
    seconds: round(seconds, 2),
    perSecond: round(latencies.count / seconds),
    p50Ms: latencies.percentile(0.5),
    p99Ms: latencies.percentile(0.99),
    firstError,
  };
}
