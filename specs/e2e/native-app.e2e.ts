/**
 * The native app with a real browser: Chromium opens the address the app prints, signs in on the mock's login
 * page, and the form_post lands on the app's loopback address; then the app's sign-out goes through the browser
 * too. The browser is shown "You can close this window", never a token.
 */
import { expect, test } from '@playwright/test';
import { demoUser } from '../../harness/kit-seed.ts';
import { type NativeAppBench, nativeAppBench, printedAddress } from '../../harness/native-app.ts';

let bench: NativeAppBench;
test.beforeAll(async () => {
  bench = await nativeAppBench();
});
test.afterAll(() => bench?.close());

test('[#native-loopback-form-post] signs in and out through Chromium and the loopback address', async ({
  page,
}) => {
  const app = bench.start();
  await page.goto(await printedAddress(app));
  await page.getByLabel('Email').fill(demoUser.email);
  await page.getByLabel('Password').fill(demoUser.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${bench.loopback}/signin-oidc`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can close this window');
  expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/);

  // The sign-out: the app prints its address again once it listens, and the browser comes back to it.
  await page.goto(await printedAddress(app, 2));
  await expect(page).toHaveURL(new RegExp(`^${bench.loopback}/signout-callback-oidc\\?state=`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You can close this window');

  expect(await app.exited).toBe(0);
  expect(app.output()).toContain(`Signed in: ${demoUser.name} (${demoUser.email})`);
  expect(app.output()).toContain('Signed out.');
});
