/** Your app in a real browser against the mock: sign-in, a forged response refused, a user signed in once per worker. */
import { expect, test as withMockIdp } from '@hybrid-client-kit/mock-idp/playwright';
import { startYourApp, type YourApp } from '../your-app.ts';

/** Your app, started beside the worker's mock and registered at it as a client of its own. */
const test = withMockIdp.extend<object, { app: YourApp }>({
  app: [
    async ({ mockIdp }, use) => {
      const app = await startYourApp(mockIdp, mockIdp.controls);
      await use(app);
      await app.close();
    },
    { scope: 'worker' },
  ],
});

test('signs in through the real login page', async ({ page, app, signIn }) => {
  await page.goto(`${app.url}/login?returnTo=/profile`);
  await signIn(page);
  await expect(page.getByText('Dana Demo').first()).toBeVisible();
});

test('refuses a forged c_hash before redeeming the code', async ({
  page,
  app,
  signIn,
  scenarios,
  requests,
}) => {
  await scenarios.set({ clientId: app.clientId, name: 'invalid-chash' });
  const since = (await requests.list()).at(-1)?.seq ?? 0;
  await page.goto(`${app.url}/login?returnTo=/profile`);
  await signIn(page);
  await expect(page.getByText('could not be verified')).toBeVisible();
  expect(await requests.list({ clientId: app.clientId, endpoint: 'token', after: since })).toEqual([]);
});

test('opens the app already signed in, from a storageState made once per worker', async ({
  browser,
  app,
  storageStateFor,
}) => {
  const context = await browser.newContext({ storageState: await storageStateFor(`${app.url}/login`) });
  const page = await context.newPage();
  const profile = await page.goto(`${app.url}/profile`);
  expect(profile?.status()).toBe(200);
  await expect(page.getByText('Dana Demo').first()).toBeVisible();
  await context.close();
});
