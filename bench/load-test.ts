/**
 * `npm run load`: LOAD_USERS (default 300) users at once through a whole session of the sample app, with the mock
 * identity server in its own process. Then the checks that nothing was lost: no session left in the app or at the
 * identity server, and the mock, killed with SIGKILL right after the run, restarts with every record it had.
 * Writes docs/load-test.md and docs/load-test.json.
 *
 * LOAD_INSTANCES=2: two instances of the app share their sessions in a real redis-server, behind a round-robin
 * balancer with no stickiness, so each user's requests (and refreshes) land on both. Writes
 * docs/load-test-two-instances.md and .json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import session from 'express-session';
import { createClient } from 'redis';
import {
  appSettings,
  freePort,
  type MockIdpProcess,
  repositoryRoot,
  seedWithAppClient,
  startMockIdpProcess,
  startRedis,
} from '../harness/index.ts';
import { loadConfig } from '../sample-app/src/config.ts';
import { type RunningSampleApp, startSampleApp } from '../sample-app/src/server.ts';
import { type LoadResult, loadUsers, runLoad } from './load.ts';
import { table } from './report.ts';
import { startRoundRobin } from './round-robin.ts';

const userCount = Number(process.env.LOAD_USERS ?? 300);
const instances = Number(process.env.LOAD_INSTANCES ?? 1);
if (instances !== 1 && instances !== 2) throw new Error('LOAD_INSTANCES must be 1 or 2');
const pageName = instances === 2 ? 'load-test-two-instances' : 'load-test';
const sessionSecret = 'a-session-secret-for-the-load-test-only';

/** The app as the users reach it at `port`: one instance with memory sessions, or two on Redis behind a balancer. */
async function startApps(settings: Record<string, string>, port: number) {
  if (instances === 1) {
    const sessions = new session.MemoryStore();
    const app = await startSampleApp(loadConfig({ ...settings, SESSION_SECRET: sessionSecret }).config, {
      sessionStore: sessions,
    });
    return {
      sessionsLeft: () =>
        new Promise<number>((resolve) => sessions.length((_error, length) => resolve(length ?? 0))),
      close: () => app.close(),
    };
  }
  const redis = await startRedis();
  const apps: RunningSampleApp[] = [];
  for (let instance = 0; instance < instances; instance += 1) {
    const { config } = loadConfig({
      ...settings,
      PORT: String(await freePort()),
      // Behind the balancer, which users reach at the registered URL's port.
      TRUST_PROXY: 'true',
      REDIS_URL: redis.url,
      SESSION_SECRET: sessionSecret,
    });
    apps.push(await startSampleApp(config));
  }
  const balancer = await startRoundRobin(
    port,
    apps.map((app) => app.listening),
  );
  return {
    async sessionsLeft() {
      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        return (await client.keys('hybrid-client-kit:sess:*')).length;
      } finally {
        await client.close();
      }
    },
    async close() {
      await balancer.close();
      for (const app of apps) await app.close();
      await redis.stop();
    },
  };
}
const outputFolder = process.env.BENCH_OUTPUT ?? join(repositoryRoot, 'docs');

async function main(): Promise<void> {
  const { users, seedUsers } = loadUsers(userCount);
  const port = await freePort();
  const { seed, client } = seedWithAppClient(`http://localhost:${port}`);
  let mock: MockIdpProcess = await startMockIdpProcess({ ...seed, users: [...seed.users, ...seedUsers] });
  const app = await startApps(appSettings(mock, client, port), port);
  let result: LoadResult;
  let checks: Record<string, { expected: unknown; found: unknown }>;
  try {
    const before = await mock.memory();
    console.log(
      `load: ${userCount} users at once through http://localhost:${port}, ${instances} app instance(s) (mock ${mock.issuer})`,
    );
    result = await runLoad(`http://localhost:${port}`, users);
    const after = await mock.memory();
    const appSessions = await app.sessionsLeft();
    await mock.kill();
    mock = await startMockIdpProcess(mock.folder);
    const restarted = await mock.memory();
    const persisted = (records: Record<string, number>) => ({
      grants: records.grants,
      refreshTokens: records.refreshTokens,
    });
    checks = {
      'journeys completed': { expected: userCount, found: result.completedJourneys },
      errors: { expected: 0, found: result.errors.length },
      'sessions left in the app': { expected: 0, found: appSessions },
      'sign-on sessions left at the identity server': {
        expected: before.records.sessions,
        found: after.records.sessions,
      },
      'refresh tokens left at the identity server (the app revokes them at sign-out)': {
        expected: before.records.refreshTokens,
        found: after.records.refreshTokens,
      },
      'grants and refresh tokens after a SIGKILL and restart': {
        expected: persisted(after.records),
        found: persisted(restarted.records),
      },
    };
  } finally {
    await app.close();
    await mock.stop();
    await mock.folder.remove();
  }
  const failed = Object.entries(checks).filter(
    ([, check]) => JSON.stringify(check.expected) !== JSON.stringify(check.found),
  );
  const markdown = `# Load test

Measured by \`npm run load\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}, ${new Date().toISOString()}.
${userCount} users start at once; each signs in with a password on the mock's login page, lists the namespaces
through the sample app (Data API call with the access token), refreshes, lists them again, signs out through the
identity server's end-session endpoint and checks it is signed out. The mock runs in its own process; ${
    instances === 2
      ? `two instances of the sample app share their sessions in Redis behind a round-robin balancer (no stickiness:
each user's requests, refreshes included, land on both), and share this process with the ${userCount} browsers.`
      : `the sample
app (memory sessions) and the ${userCount} browsers share this one.`
  }

${table(['users', 'journeys completed', 'HTTP requests', 'errors', 'seconds', 'journeys/s'], [[result.users, result.completedJourneys, result.requests, result.errors.length, result.seconds, result.journeysPerSecond]])}

${table(
  ['step', 'p50 ms', 'p99 ms'],
  result.steps.map((step) => [step.step, step.p50Ms, step.p99Ms]),
)}

Nothing lost:

${table(
  ['check', 'expected', 'found'],
  Object.entries(checks).map(([name, check]) => [
    name,
    JSON.stringify(check.expected),
    JSON.stringify(check.found),
  ]),
)}
${
  result.errors.length > 0
    ? `\nFirst errors:\n\n${result.errors
        .slice(0, 10)
        .map((error) => `- ${error}`)
        .join('\n')}\n`
    : ''
}`;
  await mkdir(outputFolder, { recursive: true });
  await writeFile(join(outputFolder, `${pageName}.md`), markdown);
  await writeFile(join(outputFolder, `${pageName}.json`), `${JSON.stringify({ result, checks }, null, 2)}\n`);
  console.log(markdown);
  if (failed.length > 0) {
    console.error(`load: failed checks: ${failed.map(([name]) => name).join(', ')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
