/** The shape of what `npm run bench` measures: written to docs/benchmarks.json, and rendered by report.ts. */
import type { Measurement } from './measure.ts';

/**
 * A rate measurement with the token endpoint's own latency percentiles, and the server's own CPU time per operation
 * (null where it cannot be read: see processCpuMs).
 */
export type TokenEndpointMeasurement = Measurement & {
  tokenEndpoint: { p50Ms: number; p99Ms: number };
  serverCpuMsPerOperation: number | null;
  /** The whole machine's busy CPU time per operation: the server, the load generator and the rest. */
  machineCpuMsPerOperation?: number | null;
};

export interface MemoryRow {
  label: string;
  heapMB: number;
  rssMB: number;
  /** Heap per login (or per stored refresh token) since the previous row; null for the first. */
  bytesPerItem: number | null;
  records: Record<string, number>;
}

export interface MockIdpFigures {
  logins: TokenEndpointMeasurement[];
  refreshes: TokenEndpointMeasurement[];
}

export interface SampleAppFigures {
  roundTrips: Measurement[];
  memoryPerSession: { sessions: number; bytesPerSession: number; measuredAfterGc: boolean };
}

export interface BenchResults {
  machine: Record<string, unknown>;
  limits: {
    rs256SignaturesPerSecond: number;
    rs256Signing: Measurement[];
    signaturesPerLogin: number;
    signaturesPerRefresh: number;
    bareHttp: Measurement[];
    /** Refresh-shaped requests to a server that only signs two JWTs and answers (signing-only-server.ts). */
    signingOnlyRefreshes?: TokenEndpointMeasurement[];
    /** The same through Express with helmet's headers. */
    signingOnlyExpressRefreshes?: TokenEndpointMeasurement[];
    /** The mock's password check (scrypt at its cost), run as many at once as the mock allows. */
    passwordChecks: Measurement;
    /** How many password checks may wait before the mock answers a sign-in 429. */
    maxWaitingPasswordChecks: number;
  };
  /** Password sign-ins, each a new browser through the login page. */
  mockIdp: MockIdpFigures & { memory: MemoryRow[]; passwordSignIns: Measurement[] };
  /** node-oidc-provider, configured for the same work, measured in the same run (bench/peer-provider.ts). */
  peer: MockIdpFigures & { version: string };
  sampleApp: SampleAppFigures;
  /** The relying-party plan against the sample app, through Chromium, at each number of workers. */
  rpPlan: RpPlanRow[];
}

export interface RpPlanRow {
  workers: number;
  modules: number;
  passed: number;
  seconds: number;
  /** CPU the whole machine spent meanwhile (browser, mock, app), in seconds. */
  machineCpuSeconds: number;
}
