/**
 * `npm start` in sample-app/: reads .env (next to this app) and the environment, then starts the app.
 * Variables already set in the environment win over .env.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { startSampleApp } from './server.ts';

const envFile = fileURLToPath(new URL('../.env', import.meta.url));
if (existsSync(envFile)) process.loadEnvFile(envFile);

try {
  const { config, warnings } = loadConfig(process.env);
  for (const warning of warnings) console.warn(`sample-app: ${warning}`);
  const app = await startSampleApp(config);
  console.log(`sample-app: listening on ${app.listening}; open ${config.appOrigin}/`);
  console.log(`sample-app: identity server ${config.issuer.href}, client ${config.clientId}`);
  const stop = () => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A problem of the setup (a setting, a taken port) ends the command as bad input does: one line each, exit 2.
  console.error(error instanceof ConfigError ? error.message : `sample-app: ${(error as Error).message}`);
  process.exit(2);
}
