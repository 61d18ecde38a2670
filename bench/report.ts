/** Turns the benchmark results into the Markdown page the README links, and keeps the JSON beside it. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Measurement, round } from './measure.ts';
import type { BenchResults, TokenEndpointMeasurement } from './results.ts';

const percent = (value: number) => `${round(value * 100)} %`;
/** A Markdown table (the benchmark and load pages share it). */
export const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export function markdown(results: BenchResults): string {
  const { limits, mockIdp, peer, sampleApp, machine } = results;
  const peerRow = <Row extends Measurement>(rows: Row[], concurrency: number) =>
    rows.find((row) => row.concurrency === concurrency);
  const peerAt = (rows: Measurement[], concurrency: number) =>
    peerRow(rows, concurrency)?.perSecond ?? Number.NaN;
  const cpu = (row: TokenEndpointMeasurement) => row.serverCpuMsPerOperation ?? 'not read';
  /** The peer's CPU per operation over the mock's: above 1, the mock spends less. */
  const cpuVersusPeer = (row: TokenEndpointMeasurement, peerRows: TokenEndpointMeasurement[]) => {
    const peerCpu = peerRow(peerRows, row.concurrency)?.serverCpuMsPerOperation;
    return row.serverCpuMsPerOperation && peerCpu ? times(peerCpu / row.serverCpuMsPerOperation) : 'not read';
  };
  const times = (value: number) => `${round(value, 2)}×`;
  const bareAt = (concurrency: number) =>
    limits.bareHttp.find((row) => row.concurrency === concurrency)?.perSecond ?? Number.NaN;
  const signingBound = (perOperation: number) => limits.rs256SignaturesPerSecond / perOperation;
  const signatureCpuMs = round((Number(machine.cores) * 1000) / limits.rs256SignaturesPerSecond, 2);
  const tokenRows = (
    rows: TokenEndpointMeasurement[],
    signatures: number,
    requests: number,
    peerRows: TokenEndpointMeasurement[],
  ) =>
    rows.map((row) => [
      row.concurrency,
      row.perSecond,
      `${row.p50Ms} / ${row.p99Ms}`,
      `${row.tokenEndpoint.p50Ms} / ${row.tokenEndpoint.p99Ms}`,
      row.errors,
      times(row.perSecond / peerAt(peerRows, row.concurrency)),
      cpu(row),
      cpuVersusPeer(row, peerRows),
      percent(row.perSecond / signingBound(signatures)),
      percent((row.perSecond * requests) / bareAt(row.concurrency)),
    ]);
  const tokenHeader = (what: string) => [
    'concurrent clients',
    `${what}/s`,
    `${what} p50 / p99 ms`,
    'token endpoint p50 / p99 ms',
    'errors',
    'rate, of the peer',
    'server CPU ms per op',
    'CPU, peer ÷ mock',
    'of the signing limit',
    'of the bare HTTP limit',
  ];

  /**
   * What 1.2× the peer's rate would leave the mock's server per operation: the CPU the machine gave this row each
   * second, shared by the target number of operations, less what the load generator (and the rest) took per
   * operation in the same row.
   */
  const boundRows = (
    kind: string,
    rows: TokenEndpointMeasurement[],
    peerRows: TokenEndpointMeasurement[],
    signatures: number,
  ) =>
    rows.map((row) => {
      const target = 1.2 * peerAt(peerRows, row.concurrency);
      const machine = row.machineCpuMsPerOperation;
      const server = row.serverCpuMsPerOperation;
      if (!machine || !server) return [kind, row.concurrency, round(target), 'not read', '', '', '', ''];
      const coresBusy = (machine * row.perSecond) / 1000;
      const load = machine - server;
      const left = (coresBusy * 1000) / target - load;
      return [
        kind,
        row.concurrency,
        round(target),
        round(coresBusy, 2),
        round(load, 2),
        round(left, 2),
        server,
        round(signatures * signatureCpuMs, 2),
      ];
    });

  /** The signing-only server beside the peer and the mock: how far below 1.2× the floor itself is. */
  const floorSection = () => {
    const floor = limits.signingOnlyRefreshes;
    const throughExpress = limits.signingOnlyExpressRefreshes;
    if (!floor || !throughExpress) return '';
    const expressAt = (concurrency: number) => throughExpress.find((row) => row.concurrency === concurrency);
    return `The floor under a refresh: a server that reads the form and answers with two RS256 JWTs signed on the
thread pool, and does nothing else (no client authentication, no store, no journal: \`bench/signing-only-server.ts\`),
in its own process, with the same load generator; on bare node:http, and through Express with helmet's headers.

${table(
  [
    'concurrent clients',
    'on node:http, refreshes/s',
    'of the peer',
    'its server CPU ms per op',
    'through Express, refreshes/s',
    'of the peer',
    'its server CPU ms per op',
    "the mock's server CPU ms per op",
  ],
  floor.map((row) => {
    const viaExpress = expressAt(row.concurrency);
    return [
      row.concurrency,
      row.perSecond,
      times(row.perSecond / peerAt(peer.refreshes, row.concurrency)),
      cpu(row),
      viaExpress?.perSecond ?? 'not read',
      viaExpress ? times(viaExpress.perSecond / peerAt(peer.refreshes, row.concurrency)) : '',
      viaExpress ? cpu(viaExpress) : '',
      mockIdp.refreshes.find((mock) => mock.concurrency === row.concurrency)?.serverCpuMsPerOperation ??
        'not read',
    ];
  }),
)}`;
  };

  return `# Benchmarks

Measured by \`npm run bench\` on ${machine.cpus}, ${machine.memoryGB} GiB, Node ${machine.node}, ${machine.date}
(scale ${machine.scale}). The mock identity server and the bare HTTP server run in their own processes; the load
generator (fetch, keep-alive) shares the machine with them, so every figure includes its cost.

## The limits on this machine

| RS256 signatures/s (2048-bit key, jose) one at a time / 16 at a time | bare Node HTTP requests/s at 1 / 10 / 100 concurrent |
|---|---|
| ${limits.rs256Signing.map((row) => row.perSecond).join(' / ')} | ${limits.bareHttp.map((row) => row.perSecond).join(' / ')} |

A hybrid login signs ${limits.signaturesPerLogin} JWTs (front-channel id_token, access token, id_token) and takes 2
requests; a refresh signs ${limits.signaturesPerRefresh} and takes 1. "Of the limit" compares each rate with the
higher signing rate (${limits.rs256SignaturesPerSecond}/s) divided by the signatures it needs, and with the bare server's rate at the same concurrency divided by
the requests it needs. At that rate on ${machine.cores} cores a signature costs about ${signatureCpuMs} ms of CPU: ${round(
    signatureCpuMs * limits.signaturesPerLogin,
    2,
  )} ms of every login and ${round(signatureCpuMs * limits.signaturesPerRefresh, 2)} ms of every refresh are signing, in
any server that signs with RS256.

## Mock identity server: hybrid logins

Authorize with an existing sign-on session → form_post page → code exchange (client_secret_basic, PKCE).

${table(tokenHeader('logins'), tokenRows(mockIdp.logins, limits.signaturesPerLogin, 2, peer.logins))}

## Mock identity server: refresh grants

One-time refresh tokens, rotated at every grant.

${table(tokenHeader('refreshes'), tokenRows(mockIdp.refreshes, limits.signaturesPerRefresh, 1, peer.refreshes))}

## What 1.2× the peer's rate would take

Each row above also read the whole machine's busy CPU time. Take the CPU the machine gave that row each second,
share it among 1.2 times the peer's operations, and take away what the load generator (with everything else but
the server) spent per operation in the same row: what is left is the server CPU per operation at which the mock
would reach 1.2× the peer on this machine, if the load generator cost the same. Signing alone costs the last
column, whatever else the server does.

${table(
  [
    'operation',
    'concurrent clients',
    '1.2× the peer, per s',
    'cores busy',
    'load generator and rest, CPU ms per op',
    'server CPU ms per op that would leave',
    "the mock's server CPU ms per op",
    'of which signing',
  ],
  [
    ...boundRows('login', mockIdp.logins, peer.logins, limits.signaturesPerLogin),
    ...boundRows('refresh', mockIdp.refreshes, peer.refreshes, limits.signaturesPerRefresh),
  ],
)}

${floorSection()}

## Mock identity server: password sign-ins

Each by a new browser: authorize → login page → email and password posted (one scrypt check) → authorize again →
form_post page with the code. The bound is the mock's password check itself, measured alone:
${limits.passwordChecks.perSecond} checks/s with ${limits.passwordChecks.concurrency} at once (the mock runs no more
at once, so a burst leaves the other core to everything else; \`mock-idp/src/plumbing/passwords.ts\` says why its
scrypt cost is N = 2^10). At most ${limits.maxWaitingPasswordChecks} checks wait; beyond that a sign-in is answered 429 at once.

${table(
  ['concurrent browsers', 'sign-ins/s', 'sign-in p50 / p99 ms', 'errors', 'of the password-check limit'],
  mockIdp.passwordSignIns.map((row) => [
    row.concurrency,
    row.perSecond,
    `${row.p50Ms} / ${row.p99Ms}`,
    row.errors,
    percent(row.perSecond / limits.passwordChecks.perSecond),
  ]),
)}

## The peer: node-oidc-provider ${peer.version}, in the same run

Configured for the same work (\`bench/peer-provider.ts\`), in its own process like the mock: one hybrid client
(\`response_type=code id_token\`, \`form_post\`, PKCE S256 required, \`client_secret_basic\`), RS256 JWT access
tokens (resource indicators, 3600 s), a refresh token with every code exchange, rotated at every refresh,
everything in memory (plain maps, no cap); each browser signed in once through its development pages, then
logs in with the sign-on session. The two servers take turns: at each concurrency, three rounds, the mock then the
peer, for five seconds each in all, so a host that slows down for a while slows both alike (measured minutes apart,
identical runs moved by ±0.2). Its state is not written to disk; the mock's is (every change written to its
journal before the answer, as it runs by default; \`--fsync\` adds a flush to the disk per change). "Rate, of the peer" above is the mock's rate divided by the peer's at the same concurrency; it includes
the load generator, which shares the cores with the server and costs the same for both. "Server CPU ms per op" is
the server process's own CPU time (every thread, read from /proc) divided by the operations, and "CPU, peer ÷
mock" compares those: the figure that leaves the load generator out.

| concurrent clients | logins/s | token endpoint p50 / p99 ms | server CPU ms per login | refreshes/s | token endpoint p50 / p99 ms | server CPU ms per refresh | errors |
|---|---|---|---|---|---|---|---|
${peer.logins
  .map((login, index) => {
    const refresh = peer.refreshes[index] as (typeof peer.refreshes)[number];
    return `| ${login.concurrency} | ${login.perSecond} | ${login.tokenEndpoint.p50Ms} / ${login.tokenEndpoint.p99Ms} | ${cpu(login)} | ${refresh.perSecond} | ${refresh.tokenEndpoint.p50Ms} / ${refresh.tokenEndpoint.p99Ms} | ${cpu(refresh)} | ${login.errors + refresh.errors} |`;
  })
  .join('\n')}

## Mock identity server: memory

Heap after a garbage collection (\`node --expose-gc\`), read from \`/__mock__/memory\`.

${table(
  ['state', 'heap MB', 'RSS MB', 'heap bytes per login', 'records held'],
  mockIdp.memory.map((row) => [
    row.label,
    row.heapMB,
    row.rssMB,
    row.bytesPerItem ?? '',
    Object.entries(row.records)
      .map(([name, size]) => `${name} ${size}`)
      .join(', '),
  ]),
)}

## Sample app

A sign-in round trip through the sample app, for a browser with a sign-on session at the identity server:
GET /login → authorize → form_post to /callback (code exchange, id_token checks, UserInfo) → the app's session.

${table(
  ['concurrent browsers', 'sign-ins/s', 'round trip p50 / p99 ms', 'errors'],
  sampleApp.roundTrips.map((row) => [
    row.concurrency,
    row.perSecond,
    `${row.p50Ms} / ${row.p99Ms}`,
    row.errors,
  ]),
)}

Memory per session (memory session store, heap after a garbage collection, ${sampleApp.memoryPerSession.sessions}
sessions): **${sampleApp.memoryPerSession.bytesPerSession} bytes**.

## The relying-party plan

\`npm run conformance -- rp\` against the sample app and the mock, through Chromium: every module signs in
through the app and the mock's login page. With two workers, modules run side by side, each signed in as its own
user. The machine's CPU counts the browser, the mock and the app together: the plan is bound by it.

${table(
  ['workers', 'modules', 'passed', 'seconds', 'machine CPU s'],
  results.rpPlan.map((row) => [row.workers, row.modules, row.passed, row.seconds, row.machineCpuSeconds]),
)}
`;
}

export async function writeReport(folder: string, results: BenchResults) {
  await mkdir(folder, { recursive: true });
  const text = markdown(results);
  const files = [join(folder, 'benchmarks.md'), join(folder, 'benchmarks.json')];
  await writeFile(files[0] as string, text);
  await writeFile(files[1] as string, `${JSON.stringify(results, null, 2)}\n`);
  return { markdown: text, files };
}
