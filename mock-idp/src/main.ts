/**
 * `npm run mock-idp`: starts the mock identity server from the environment (see config.ts).
 * `--reset` forgets the saved state and keys first (the seed applies again); `--reset-only` just forgets them.
 * `--rotate-key` starts signing with a new key (the previous ones stay published).
 */
import { rm } from 'node:fs/promises';
import { optionsFromEnvironment } from './config.ts';
import { defaultDataDir, keyFilePath, sealingKeyPath, startMockIdp, stateFilePath } from './server.ts';
import { journalPathOf } from './store/state-journal.ts';

async function main(): Promise<void> {
  const options = optionsFromEnvironment(process.env);
  const dataDir = options.dataDir ?? defaultDataDir;
  if (process.argv.includes('--reset') || process.argv.includes('--reset-only')) {
    await Promise.all([
      rm(stateFilePath(dataDir), { force: true }),
      rm(journalPathOf(stateFilePath(dataDir)), { force: true }),
      rm(keyFilePath(dataDir), { force: true }),
      rm(sealingKeyPath(dataDir), { force: true }),
    ]);
    console.log(`mock-idp: state and keys in ${dataDir} removed; the seed applies at the next start`);
    if (process.argv.includes('--reset-only')) return;
  }
  const idp = await startMockIdp(options);
  if (process.argv.includes('--rotate-key'))
    console.log(`mock-idp: signing with the new key ${await idp.context.keys.rotate()}`);
  console.log(
    `mock-idp: issuer ${idp.issuer}${idp.issuer === idp.authority ? '' : ` (authority ${idp.authority})`}`,
  );
  console.log(`mock-idp: discovery ${idp.authority}/.well-known/openid-configuration`);
  console.log(`mock-idp: state in ${dataDir}${options.testControls ? '; test controls at /__mock__' : ''}`);

  const stop = async (signal: string) => {
    console.log(`mock-idp: ${signal}, saving state and stopping`);
    await idp.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
