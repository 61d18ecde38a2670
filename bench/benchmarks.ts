/**
 * `npm run bench`: measures the mock identity server and the sample app on this machine, beside the limits they
 * sit under (RS256 signing, a bare Node HTTP server), and writes docs/benchmarks.md and docs/benchmarks.json.
 * BENCH_SCALE (default 1) scales the durations and counts, e.g. 0.05 for a quick look.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { UserAgent } from '../harness/index.ts';
import {
  alice,
  appSettings,
  freePort,
  type MockIdpProcess,
  repositoryRoot,
  type SeededHybridClient,
  seedWithAppClient,
  signInThroughApp,
  startMockIdpProcess,
} from '../harness/index.ts';
import { samplePlanSettings, startKit } from '../harness/kit.ts';
import {
  hashPassword,
  maxWaitingChecks,
  passwordChecksAtOnce,
  verifyPassword,
} from '../mock-idp/src/index.ts';
import { keptRequests } from '../mock-idp/src/observation/request-log.ts';
import { loadConfig } from '../sample-app/src/config.ts';
import { startSampleApp } from '../sample-app/src/server.ts';
import { runRpPlan } from '../specs/conformance/rp/plan.ts';
import { startBareHttpServer } from './bare-http-server.ts';
import { browserWithSignOn, hybridLogin, refreshGrant } from './flows.ts';
import { Latencies, type Measurement, measure, processCpuMs, round } from './measure.ts';
import { type Peer, peerBrowser, peerLogin, peerRefresh, peerVersion, startPeer } from './peer.ts';
import { writeReport } from './report.ts';
import type {
  BenchResults,
  MemoryRow,
  MockIdpFigures,
  RpPlanRow,
  SampleAppFigures,
  TokenEndpointMeasurement,
} from './results.ts';
import { signingOnlyRefresh, startSigningOnlyServer } from './signing-only-server.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!(scale > 0)) throw new Error('BENCH_SCALE must be a number above 0');
// A floor of a tenth of a second: the smallest scales only check that every row is measured.
const seconds = (value: number) => Math.max(0.1, value * scale);
const count = (value: number) => Math.max(10, Math.round(value * scale));
const concurrencies = [1, 10, 100];
const outputFolder = process.env.BENCH_OUTPUT ?? join(repositoryRoot, 'docs');
const megabytes = (bytes: number) => round(bytes / 2 ** 20, 1);

/** Signatures the mock makes: front-channel id_token, then access token and id_token at the code exchange. */
const signaturesPerLogin = 3;
/** A refresh issues an access token and an id_token. */
const signaturesPerRefresh = 2;

/**
 * RS256 signing with jose, one at a time and 16 at a time: WebCrypto signs on libuv's thread pool, so a server
 * with many requests in flight signs on every core. The higher rate is the limit a server could reach.
 */
async function rs256SigningRates(): Promise<Measurement[]> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const payload = { iss: 'https://bench', sub: 'user', aud: 'client', iat: 0, exp: 1, nonce: 'n' };
  const sign = async () => {
    await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(privateKey);
  };
  return [await measure(1, { seconds: seconds(3) }, sign), await measure(16, { seconds: seconds(3) }, sign)];
}

/** The mock's own password check (scrypt at its cost, as many at once as it allows): the bound on sign-ins. */
async function passwordCheckRate(): Promise<Measurement> {
  const stored = hashPassword('a-benchmark-password');
  return measure(passwordChecksAtOnce, { seconds: seconds(3) }, async () => {
    if (!(await verifyPassword('a-benchmark-password', stored))) throw new Error('password check failed');
  });
}

async function bareHttpRates(): Promise<Measurement[]> {
  const server = await startBareHttpServer();
  try {
    const results: Measurement[] = [];
    for (const concurrency of concurrencies) {
      results.push(
        await measure(concurrency, { seconds: seconds(3) }, async () => {
          const response = await fetch(server.url);
          await response.text();
        }),
      );
    }
    return results;
  } finally {
    await server.stop();
  }
}

/** One browser with a sign-on session, and one refresh token, per worker. */
async function workers(idp: MockIdpProcess, client: SeededHybridClient, size: number) {
  const agents: UserAgent[] = [];
  for (let index = 0; index < size; index += 1) agents.push(await browserWithSignOn(idp, client, alice));
  return agents;
}

/** CPU time every core has spent busy since boot, in ms. */
const machineBusyMs = () =>
  cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);

/** A server under measurement: its process (whose CPU is read) and one operation by one worker. */
interface Measured {
  pid: number | undefined;
  step: (worker: number, tokenEndpoint: Latencies) => Promise<void>;
}

/**
 * Rounds per row. The servers measured together take turns within a row, round by round, so a host that slows
 * down for a while (this machine's runs moved by ±0.2 when the mock and the peer were measured minutes apart)
 * slows each of them alike.
 */
const rounds = 3;

/**
 * One row per concurrency and server: `step(worker, tokenEndpoint)` repeated by that many workers for five seconds
 * in all, in turns with the other servers, with the token endpoint's latencies, the CPU the server's process spent
 * per operation and the whole machine's.
 */
async function tokenEndpointRows(servers: Measured[]): Promise<TokenEndpointMeasurement[][]> {
  const rows: TokenEndpointMeasurement[][] = servers.map(() => []);
  for (const concurrency of concurrencies) {
    const totals = servers.map(() => ({
      operations: 0,
      errors: 0,
      firstError: null as string | null,
      seconds: 0,
      serverCpu: 0 as number | null,
      machineCpu: 0,
      operationTimes: new Latencies(),
      tokenEndpoint: new Latencies(),
    }));
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, server] of servers.entries()) {
        const total = totals[index] as (typeof totals)[number];
        const cpuBefore = processCpuMs(server.pid);
        const machineBefore = machineBusyMs();
        const result = await measure(concurrency, { seconds: seconds(5) / rounds }, async (worker) => {
          const begin = performance.now();
          await server.step(worker, total.tokenEndpoint);
          total.operationTimes.add(performance.now() - begin);
        });
        const cpuAfter = processCpuMs(server.pid);
        total.machineCpu += machineBusyMs() - machineBefore;
        total.serverCpu =
          total.serverCpu === null || cpuBefore === null || cpuAfter === null
            ? null
            : total.serverCpu + cpuAfter - cpuBefore;
        total.operations += result.operations;
        total.errors += result.errors;
        total.firstError ??= result.firstError;
        total.seconds += result.seconds;
      }
    }
    for (const [index, total] of totals.entries()) {
      const perOperation = (ms: number | null) =>
        ms === null || total.operations === 0 ? null : round(ms / total.operations, 2);
      rows[index]?.push({
        concurrency,
        operations: total.operations,
        errors: total.errors,
        seconds: round(total.seconds, 2),
        perSecond: round(total.operations / total.seconds),
        p50Ms: total.operationTimes.percentile(0.5),
        p99Ms: total.operationTimes.percentile(0.99),
        firstError: total.firstError,
        tokenEndpoint: {
          p50Ms: total.tokenEndpoint.percentile(0.5),
          p99Ms: total.tokenEndpoint.percentile(0.99),
        },
        serverCpuMsPerOperation: perOperation(total.serverCpu),
        machineCpuMsPerOperation: perOperation(total.machineCpu),
      });
    }
  }
  return rows;
}

/** Refresh-shaped requests against the signing-only server (signing-only-server.ts): the floor under a refresh. */
async function signingOnlyFloor(framework: 'node:http' | 'express'): Promise<TokenEndpointMeasurement[]> {
  const server = await startSigningOnlyServer(framework);
  try {
    const [rows = []] = await tokenEndpointRows([
      {
        pid: server.pid,
        step: async (_worker, tokenEndpoint) => {
          await tokenEndpoint.time(() => signingOnlyRefresh(server.url));
        },
      },
    ]);
    return rows;
  } finally {
    await server.stop();
  }
}

/**
 * Logins, then refreshes, of the mock and of the peer (node-oidc-provider, configured for the same work), taking
 * turns at each concurrency (tokenEndpointRows).
 */
async function mockAndPeerFigures(
  idp: MockIdpProcess,
  client: SeededHybridClient,
  peer: Peer,
): Promise<{ mock: MockIdpFigures; peer: MockIdpFigures }> {
  const mockAgents = await workers(idp, client, Math.max(...concurrencies));
  const peerAgents: UserAgent[] = [];
  for (let index = 0; index < Math.max(...concurrencies); index += 1)
    peerAgents.push(await peerBrowser(peer));
  const [mockLogins = [], peerLogins = []] = await tokenEndpointRows([
    {
      pid: idp.process.child.pid,
      step: async (worker, tokenEndpoint) => {
        await hybridLogin(idp, mockAgents[worker] as UserAgent, client, tokenEndpoint);
      },
    },
    {
      pid: peer.pid,
      step: async (worker, tokenEndpoint) => {
        await peerLogin(peer, peerAgents[worker] as UserAgent, tokenEndpoint);
      },
    },
  ]);
  const ignored = new Latencies();
  const mockTokens: string[] = [];
  for (const agent of mockAgents)
    mockTokens.push((await hybridLogin(idp, agent, client, ignored)).refresh_token as string);
  const peerTokens: string[] = [];
  for (const agent of peerAgents) peerTokens.push(await peerLogin(peer, agent, ignored));
  const [mockRefreshes = [], peerRefreshes = []] = await tokenEndpointRows([
    {
      pid: idp.process.child.pid,
      step: async (worker, tokenEndpoint) => {
        mockTokens[worker] = await refreshGrant(idp, client, mockTokens[worker] as string, tokenEndpoint);
      },
    },
    {
      pid: peer.pid,
      step: async (worker, tokenEndpoint) => {
        peerTokens[worker] = await peerRefresh(peer, peerTokens[worker] as string, tokenEndpoint);
      },
    },
  ]);
  return {
    mock: { logins: mockLogins, refreshes: mockRefreshes },
    peer: { logins: peerLogins, refreshes: peerRefreshes },
  };
}

/**
 * Password sign-ins, each by a new browser: authorize → login page → the form posted with the password (one scrypt
 * check) → authorize again → the form_post page with the code. Concurrency stays under the mock's bound on waiting
 * checks, so every sign-in is measured rather than answered "busy".
 */
async function passwordSignIns(idp: MockIdpProcess, client: SeededHybridClient): Promise<Measurement[]> {
  if (Math.max(...concurrencies) > maxWaitingChecks) throw new Error('more browsers than checks may wait');
  const rows: Measurement[] = [];
  for (const concurrency of concurrencies) {
    rows.push(
      await measure(concurrency, { seconds: seconds(5) }, async () => {
        await browserWithSignOn(idp, client, alice);
      }),
    );
  }
  return rows;
}

/**
 * Memory of a mock whose request log is full (it keeps the last 2,000 requests, about 2 MB: measured from a fresh
 * start, that bounded log read as ~220 bytes per login), then after 10,000 logins without refresh tokens, then after
 * 10,000 refresh tokens stored.
 */
async function mockIdpMemory(
  client: SeededHybridClient,
  seed: Parameters<typeof startMockIdpProcess>[0],
): Promise<MemoryRow[]> {
  const idp = await startMockIdpProcess(seed);
  try {
    const agents = await workers(idp, client, 10);
    const ignored = new Latencies();
    const logins = count(10_000);
    const loginOnly = (scope: string, operations = logins) =>
      measure(10, { operations }, async (worker) => {
        await hybridLogin(idp, agents[worker] as UserAgent, client, ignored, scope);
      });
    // Each login logs at least two requests (authorize, token): at full scale, this many fill the log.
    const warmUpLogins = count(keptRequests);
    const warmUp = await loginOnly('openid profile email ocsapi', warmUpLogins);
    const atStart = await idp.memory();
    const withoutRefresh = await loginOnly('openid profile email ocsapi');
    const afterLogins = await idp.memory();
    const withRefresh = await loginOnly('openid profile email ocsapi offline_access');
    const afterRefreshTokens = await idp.memory();
    const failed = warmUp.errors + withoutRefresh.errors + withRefresh.errors;
    if (failed > 0)
      throw new Error(
        `${failed} logins failed: ${warmUp.firstError ?? withoutRefresh.firstError ?? withRefresh.firstError}`,
      );
    const row = (label: string, memory: typeof atStart, previous: typeof atStart | null) => ({
      label,
      heapMB: megabytes(memory.heapUsed),
      rssMB: megabytes(memory.rss),
      bytesPerItem: previous ? Math.round((memory.heapUsed - previous.heapUsed) / logins) : null,
      records: memory.records,
    });
    return [
      row(
        `fresh start, then ${warmUpLogins} logins (the request log keeps the last ${keptRequests} requests)`,
        atStart,
        null,
      ),
      row(`after ${logins} logins (no refresh tokens)`, afterLogins, atStart),
      row(`after ${logins} more logins, each storing a refresh token`, afterRefreshTokens, afterLogins),
    ];
  } finally {
    await idp.stop();
  }
}

async function sampleAppFigures(): Promise<SampleAppFigures> {
  const port = await freePort();
  const { seed, client } = seedWithAppClient(`http://localhost:${port}`);
  const idp = await startMockIdpProcess(seed);
  const { config } = loadConfig({
    ...appSettings(idp, client, port),
    SESSION_SECRET: 'a-session-secret-for-the-benchmarks-only',
  });
  const app = await startSampleApp(config);
  try {
    const agents = await workers(idp, client, 10);
    const appBase = `http://localhost:${port}`;
    const signIn = (worker: number) => {
      const agent = agents[worker] as UserAgent;
      agent.cookies.delete(new URL(appBase).host);
      return signInThroughApp(appBase, alice, agent).then(() => undefined);
    };
    const roundTrips = [
      await measure(1, { seconds: seconds(5) }, signIn),
      await measure(10, { seconds: seconds(5) }, signIn),
    ];

    const sessions = count(2_000);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const filled = await measure(10, { operations: sessions }, signIn);
    globalThis.gc?.();
    const after = process.memoryUsage().heapUsed;
    return {
      roundTrips,
      memoryPerSession: {
        sessions: filled.operations,
        bytesPerSession: Math.round((after - before) / filled.operations),
        measuredAfterGc: typeof globalThis.gc === 'function',
      },
    };
  } finally {
    await app.close();
    await idp.stop();
  }
}

/**
 * The relying-party plan (npm run conformance -- rp) against the sample app and the mock, one worker and two: the
 * wall time, and the CPU of the whole machine (the browser is most of it). At a scale below 1, a few modules only.
 */
async function rpPlanRows(): Promise<RpPlanRow[]> {
  const rows: RpPlanRow[] = [];
  for (const workers of [1, 2]) {
    const kit = await startKit();
    try {
      const busyBefore = machineBusyMs();
      const started = performance.now();
      const results = await runRpPlan({
        ...samplePlanSettings(kit, workers),
        ...(scale < 1 && { modules: 'oidcc-client-test,oidcc-client-test-invalid-*' }),
      });
      rows.push({
        workers,
        modules: results.length,
        passed: results.filter((result) => result.outcome !== 'fail' && result.outcome !== 'not-run').length,
        seconds: round((performance.now() - started) / 1000, 1),
        machineCpuSeconds: round((machineBusyMs() - busyBefore) / 1000, 1),
      });
    } finally {
      await kit.close();
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    cores: cpus().length,
    memoryGB: round(totalmem() / 2 ** 30, 1),
    scale,
  };
  console.log(`bench: ${machine.cpus}, node ${machine.node}, scale ${scale}`);
  const signingRates = await rs256SigningRates();
  const signing = Math.max(...signingRates.map((row) => row.perSecond));
  console.log(
    `bench: RS256 signing ${signingRates.map((row) => `${row.perSecond}/s@${row.concurrency}`).join(', ')}`,
  );
  const bareHttp = await bareHttpRates();
  console.log(
    `bench: bare HTTP ${bareHttp.map((row) => `${row.perSecond}/s@${row.concurrency}`).join(', ')}`,
  );

  const signingOnly = await signingOnlyFloor('node:http');
  const signingOnlyExpress = await signingOnlyFloor('express');
  for (const [name, rows] of [
    ['node:http', signingOnly],
    ['Express', signingOnlyExpress],
  ] as const)
    console.log(
      `bench: the signing-only token server on ${name} ${rows.map((row) => `${row.perSecond}/s@${row.concurrency}`).join(', ')}`,
    );

  const passwordChecks = await passwordCheckRate();
  console.log(`bench: password checks ${passwordChecks.perSecond}/s, ${passwordChecksAtOnce} at once`);

  const port = await freePort();
  const { seed, client } = seedWithAppClient(`http://localhost:${port}`);
  const idp = await startMockIdpProcess(seed);
  const peerServer = await startPeer();
  let mock: MockIdpFigures;
  let peer: MockIdpFigures;
  let signIns: Measurement[];
  try {
    ({ mock, peer } = await mockAndPeerFigures(idp, client, peerServer));
    console.log('bench: the mock identity server and the peer (node-oidc-provider) measured, taking turns');
    signIns = await passwordSignIns(idp, client);
  } finally {
    await peerServer.stop();
    await idp.stop();
  }
  console.log('bench: password sign-ins measured');
  const memory = await mockIdpMemory(client, seed);
  console.log('bench: mock identity server memory measured');
  const sample = await sampleAppFigures();
  console.log('bench: sample app measured');
  const rpPlan = await rpPlanRows();
  console.log(
    `bench: the RP plan ${rpPlan.map((row) => `${row.seconds} s with ${row.workers} worker(s)`).join(', ')}`,
  );

  const results: BenchResults = {
    machine,
    limits: {
      rs256SignaturesPerSecond: signing,
      rs256Signing: signingRates,
      signaturesPerLogin,
      signaturesPerRefresh,
      bareHttp,
      signingOnlyRefreshes: signingOnly,
      signingOnlyExpressRefreshes: signingOnlyExpress,
      passwordChecks,
      maxWaitingPasswordChecks: maxWaitingChecks,
    },
    mockIdp: { ...mock, memory, passwordSignIns: signIns },
    peer: { ...peer, version: peerVersion },
    sampleApp: sample,
    rpPlan,
  };
  const written = await writeReport(outputFolder, results);
  console.log(written.markdown);
  console.log(`bench: written ${written.files.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
