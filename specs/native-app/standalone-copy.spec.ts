/**
 * native-app/ is a starter people copy, like sample-app/: copied out of this repository on its own, it installs
 * from its own package.json and lockfile, type-checks, reads its .env, and signs a user in through its loopback
 * address (the specs' browser following the address it prints).
 */
// vitest: long-running
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopiedOut, copyOutAndInstall, run } from '../../harness/copied-out.ts';
import { demoUser } from '../../harness/kit-seed.ts';
import { type NativeAppBench, nativeAppBench, signInUrlOf } from '../../harness/native-app.ts';
import { startCommand } from '../../harness/processes.ts';
import { UserAgent } from '../../harness/user-agent.ts';

let copy: CopiedOut;
let bench: NativeAppBench;

beforeAll(async () => {
  [copy, bench] = await Promise.all([copyOutAndInstall('native-app'), nativeAppBench()]);
  await copy.writeEnv({
    ISSUER_URL: bench.idp.issuer,
    API_BASE_URL: bench.idp.origin,
    REDIRECT_URI: `${bench.loopback}/signin-oidc`,
    POST_LOGOUT_REDIRECT_URI: `${bench.loopback}/signout-callback-oidc`,
    TOKEN_FILE: `${copy.folder}/kept/sign-in.json`,
  });
}, 200_000);

afterAll(async () => {
  await bench?.close();
  await copy?.remove();
});

describe('the native app copied out of the repository', () => {
  it('type-checks with its own tsconfig and dependencies', async () => {
    const { stdout, stderr } = await run('npm', ['run', 'typecheck'], { cwd: copy.folder, timeout: 60_000 });
    expect(`${stdout}${stderr}`).not.toMatch(/error TS/);
  }, 70_000);

  it('starts with npm start, configured by its .env file, and signs a user in and keeps the sign-in', async () => {
    const app = startCommand('npm', ['start', '--', '--no-browser', '--keep'], copy.folder, {});
    try {
      const browser = new UserAgent();
      const { response } = await browser.signIn(await signInUrlOf(app, browser), demoUser);
      await browser.request(response.action, { form: response.fields });
      expect(await app.exited).toBe(0);
      expect(app.output()).toContain(`Signed in: ${demoUser.name}`);
      expect(app.output()).toContain(`Kept the sign-in for the next run in ${copy.folder}/kept/sign-in.json`);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
