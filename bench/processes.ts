/**
 * The servers a benchmark or load run talks to, each in its own process, so the load generator does not share
 * their event loop: the mock identity server (with test controls, for its memory figures) and a bare HTTP server.
 */
import type { SeedFile } from '../mock-idp/src/store/seed.ts';
import { makeDataFolder } from '../specs/support/mock-idp.ts';
import { repositoryRoot, type Started, startCommand } from '../specs/support/processes.ts';

export interface MockIdpProcess {
  issuer: string;
  origin: string;
  dataDir: string;
  process: Started;
  /** Memory of the mock's process after a garbage collection, with the number of records it holds. */
  memory(): Promise<{ heapUsed: number; rss: number; records: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startMockIdpProcess(seed: SeedFile, port = 0): Promise<MockIdpProcess> {
  const folder = await makeDataFolder(seed);
  const child = startCommand(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'mock-idp/src/main.ts'],
    repositoryRoot,
    {
      MOCK_IDP_PORT: String(port),
      MOCK_IDP_DATA_DIR: folder.dataDir,
      MOCK_IDP_SEED_FILE: folder.seedFile,
      MOCK_IDP_TEST_CONTROLS: 'true',
    },
  );
  const [, issuer = ''] = await child.waitFor(/issuer (\S+)/, 30_000);
  const origin = new URL(issuer).origin;
  return {
    issuer,
    origin,
    dataDir: folder.dataDir,
    process: child,
    async memory() {
      const response = await fetch(`${origin}/__mock__/memory`);
      return (await response.json()) as { heapUsed: number; rss: number; records: Record<string, number> };
    },
    async stop() {
      await child.stop();
      await folder.remove();
    },
  };
}

/** node:http answering every request with a short body: the ceiling for any Node HTTP server on this machine. */
export async function startBareHttpServer(): Promise<{ url: string; stop: () => Promise<unknown> }> {
  const program = `require('node:http').createServer((req, res) => { req.resume(); res.end('ok'); })
    .listen(0, '127.0.0.1', function () { console.log('listening ' + this.address().port); });`;
  const child = startCommand(process.execPath, ['-e', program], repositoryRoot, {});
  const [, port] = await child.waitFor(/listening (\d+)/);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.stop() };
}
