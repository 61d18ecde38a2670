/**
 * `npm start`: the mock identity server and the sample app together, seeded and ready to sign in.
 * The app runs with its defaults (the mock's demo client); settings in the environment still apply.
 */
import { readFile } from 'node:fs/promises';
import { defaultSeedFile, optionsFromEnvironment, startMockIdp } from '../mock-idp/src/index.ts';
import { DataFolderInUse } from '../mock-idp/src/store/data-folder-lock.ts';
import { systemClock } from '../sample-app/src/clock.ts';
import { ConfigError, loadConfig } from '../sample-app/src/config.ts';
import { startSampleApp } from '../sample-app/src/server.ts';
import { walkthroughExtension, walkthroughWanted } from '../walkthrough/extension.ts';
import { kitEnvironment, registerAppAtDemoClient } from './kit-ports.ts';

/** A port taken by another program: say which server, and which variable moves it. */
const explainPortInUse = (server: string, address: string, variable: string) => (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  throw new Error(
    `the ${server} cannot listen on ${address}: another program uses it; set ${variable} to a free port`,
  );
};

async function main(): Promise<void> {
  const kit = kitEnvironment(process.env);
  if (kit.problems.length > 0) throw new Error(kit.problems.join('\n  '));
  for (const warning of kit.warnings) console.warn(`start: ${warning}`);
  const idpOptions = optionsFromEnvironment(kit.env);
  const seed = JSON.parse(await readFile(idpOptions.seedFile ?? defaultSeedFile, 'utf8')) as {
    users: { email: string; password: string; roles: string[] }[];
    hybridClients?: { redirectUris?: string[]; postLogoutRedirectUris?: string[] }[];
  };
  const seeded = (seed.hybridClients ?? []).flatMap((client) => [
    ...(client.redirectUris ?? []),
    ...(client.postLogoutRedirectUris ?? []),
  ]);
  const { config, warnings } = loadConfig(kit.env);
  const idp = await startMockIdp(idpOptions).catch(
    explainPortInUse('mock identity server', `${idpOptions.host}:${idpOptions.port}`, 'MOCK_IDP_PORT'),
  );
  const showSignInFlow = walkthroughWanted(kit.env, config);
  const app = await startSampleApp(config, {
    ...(showSignInFlow && { extension: walkthroughExtension(config, systemClock) }),
  }).catch(async (error: unknown) => {
    await idp.close();
    throw error;
  });

  for (const uri of registerAppAtDemoClient(idp, config, seeded))
    console.log(`mock-idp: the demo client now also allows ${uri} (the app's port)`);

  const demo = seed.users[0];
  const administrator = seed.users.find((user) => user.roles.includes('Tenant Administrator'));
  const origin = new URL(idp.authority).origin;
  for (const warning of warnings) console.warn(`sample-app: ${warning}`);
  console.log(
    [
      '',
      'Hybrid Client Kit is running',
      `  sample app        ${config.appOrigin}/`,
      `  identity server   ${idp.authority}   (mock, seeded; state in ${idpOptions.dataDir ?? 'mock-idp/.data'})`,
      idp.issuer === idp.authority ? null : `  its issuer        ${idp.issuer}   (set EXPECTED_ISSUER to it)`,
      demo ? `  sign in as        ${demo.email} / ${demo.password}` : null,
      showSignInFlow
        ? `  how it worked     ${config.appOrigin}/how-it-worked   (your sign-in, step by step)`
        : null,
      `  client portal     ${origin}/portal   (${idp.edition.wayToClients})`,
      administrator ? `  administrator     ${administrator.email} / ${administrator.password}` : null,
      '  stop              Ctrl+C',
      '',
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );

  const stop = async () => {
    await app.close();
    await idp.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof DataFolderInUse) {
    console.error(
      `start: ${error.message}. Another kit is running on it: to run a second one, give it its own ports and ` +
        `folder, e.g. PORT=3100 MOCK_IDP_PORT=4100 MOCK_IDP_DATA_DIR=mock-idp/.data/kit-2 npm start`,
    );
    process.exit(2);
  }
  console.error(error instanceof ConfigError ? error.message : `start: ${(error as Error).message}`);
  process.exit(2);
});
