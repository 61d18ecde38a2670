/**
 * The mock's pages in a real browser: the login form, the form_post auto-submit (under its Content-Security-
 * Policy), and logout, with the identity server (127.0.0.1) and the app (localhost) on different sites.
 */
import { test as base, expect } from '@playwright/test';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, seedWithAppClient } from '../../harness/test-seed.ts';
import { type RelyingPartyApp, startRelyingPartyApp } from '../support/relying-party-app.ts';

const test = base.extend<{ app: RelyingPartyApp; idp: TestIdp }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function asks for from this pattern.
  app: async ({}, use) => {
    const app = await startRelyingPartyApp('localhost');
    await use(app);
    await app.close();
  },
  // Automatic: every test needs the identity server behind the app, whether it names it or not.
  idp: [
    async ({ app }, use) => {
      const { seed, client } = seedWithAppClient(app.origin);
      const idp = await startTestIdp({ seed });
      await app.connect(idp.issuer, client);
      await use(idp);
      await idp.dispose();
    },
    { auto: true },
  ],
});

test('signs in through the login page and returns to the app by form_post', async ({ page, app, idp }) => {
  await page.goto(`${app.origin}/login`);
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/account/login`));
  await expect(page.getByText('Browser spec app')).toBeVisible();
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The app answers the form_post with a redirect to its profile (post, redirect, get).
  await expect(page).toHaveURL(`${app.origin}/profile`);
  await expect(page.locator('#subject')).toHaveText(alice.id);
});

test('[#login-page-ids] signs in through the ids of the login page: #email, #password, #submit', async ({
  page,
  app,
}) => {
  // The kit's stable ids, for automation against the mock (a tenant's page is the user's identity provider's).
  await page.goto(`${app.origin}/login`);
  await page.locator('#email').fill(alice.email);
  await page.locator('#password').fill(alice.password);
  await page.locator('#submit').click();
  await expect(page.locator('#subject')).toHaveText(alice.id);
});

test('shows a wrong password on the login page and lets the user try again', async ({ page, app }) => {
  await page.goto(`${app.origin}/login`);
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email or password is not correct.');
  await expect(page.getByLabel('Email')).toHaveValue(alice.email);

  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#subject')).toHaveText(alice.id);
});

test('Cancel returns access_denied to the app', async ({ page, app }) => {
  await page.goto(`${app.origin}/login`);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(`${app.origin}/callback`);
  await expect(page.locator('#error')).toHaveText('access_denied');
});

test('signs out at the identity server and comes back to the registered logout URL with state', async ({
  page,
  app,
  idp,
}) => {
  await page.goto(`${app.origin}/login`);
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#subject')).toBeVisible();

  await page.goto(`${app.origin}/logout`);
  await expect(page).toHaveURL(`${app.origin}/signed-out?state=bye-state`);
  await expect(page.locator('#state')).toHaveText('bye-state');

  // The single-sign-on session is gone: signing in again shows the login page.
  await page.goto(`${app.origin}/login`);
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/account/login`));
});

test('an unregistered redirect URI stays at the identity server with an error page', async ({
  page,
  idp,
}) => {
  const url = new URL(`${idp.issuer}/connect/authorize`);
  url.search = new URLSearchParams({
    client_id: 'c0000000-0000-4000-8000-0000000000e2',
    redirect_uri: 'http://localhost:1/evil',
    response_type: 'code id_token',
    scope: 'openid',
    nonce: 'n',
  }).toString();
  const response = await page.goto(url.href);
  expect(response?.status()).toBe(400);
  await expect(page).toHaveURL(url.href);
  await expect(page.getByRole('alert')).toContainText('not registered');
});
