/** A bare HTTP server in its own process: the ceiling for any Node HTTP server on this machine. */
import { repositoryRoot, startCommand } from '../harness/index.ts';

/** node:http answering every request with a short body. */
export async function startBareHttpServer(): Promise<{ url: string; stop: () => Promise<unknown> }> {
  const program = `require('node:http').createServer((req, res) => { req.resume(); res.end('ok'); })
    .listen(0, '127.0.0.1', function () { console.log('listening ' + this.address().port); });`;
  const child = startCommand(process.execPath, ['-e', program], repositoryRoot, {});
  const [, port] = await child.waitFor(/listening (\d+)/);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.stop() };
}
