#!/usr/bin/env node
/**
 * `npm run mock-idp` (and the package's `hybrid-client-mock-idp`): starts the mock identity server from its flags
 * and the environment (command-line.ts; `--help` lists them).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { readCommandLine } from './command-line.ts';
import { defaultDataDir, keyFilePath, sealingKeyPath, startMockIdp, stateFilePath } from './server.ts';
import { DataFolderInUse, lockDataFolder } from './store/data-folder-lock.ts';
import { journalPathOf } from './store/state-journal.ts';

const program =
  process.env.npm_lifecycle_event === 'mock-idp' ? 'npm run mock-idp --' : 'hybrid-client-mock-idp';

async function main(): Promise<number | null> {
  const commandLine = readCommandLine(process.argv.slice(2), process.env, program);
  if (commandLine.kind === 'help') {
    console.log(commandLine.text);
    return 0;
  }
  if (commandLine.kind === 'problems') {
    for (const line of commandLine.lines) console.error(`mock-idp: ${line}`);
    return 2;
  }
  const { options, actions } = commandLine;
  const dataDir = options.dataDir ?? defaultDataDir;
  const newFolder = !existsSync(dataDir);
  if (actions.has('reset') || actions.has('reset-only')) {
    // Never under a running mock: it would write its state back, or lose what it confirms next.
    await mkdir(dataDir, { recursive: true });
    const lock = await lockDataFolder(dataDir);
    await Promise.all(
      [
        stateFilePath(dataDir),
        journalPathOf(stateFilePath(dataDir)),
        keyFilePath(dataDir),
        sealingKeyPath(dataDir),
      ].map((path) => rm(path, { force: true })),
    );
    await lock.release();
    console.log(`mock-idp: state and keys in ${dataDir} removed; the seed applies at the next start`);
    if (actions.has('reset-only')) return 0;
  }
  const idp = await startMockIdp(options).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `mock-idp: ${options.host ?? '127.0.0.1'}:${options.port} is in use by another program; ` +
        'choose another port with --port or MOCK_IDP_PORT (0 picks a free one)',
    );
  });
  if (actions.has('rotate-key'))
    console.log(`mock-idp: signing with the new key ${await idp.context.keys.rotate()}`);
  console.log(
    `mock-idp: issuer ${idp.issuer}${idp.issuer === idp.authority ? '' : ` (authority ${idp.authority})`}`,
  );
  console.log(`mock-idp: discovery ${idp.authority}/.well-known/openid-configuration`);
  console.log(
    `mock-idp: state in ${dataDir}${options.testControls ? '; test controls at /__mock__ (their OpenAPI document: /__mock__/openapi.json)' : ''}`,
  );
  // A folder made in the user's project at the first start holds keys and state no repository should carry.
  const shownFolder = relative(process.cwd(), dataDir);
  if (newFolder && shownFolder && !shownFolder.startsWith('..'))
    console.log(
      `mock-idp: ${shownFolder} is new: it holds this mock's state and signing keys, for this machine only; add it to .gitignore`,
    );

  const stop = async (signal: string) => {
    console.log(`mock-idp: ${signal}, saving state and stopping`);
    await idp.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return null;
}

main().then(
  (exitCode) => {
    if (exitCode !== null) process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof DataFolderInUse) {
      console.error(`mock-idp: ${error.message}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
