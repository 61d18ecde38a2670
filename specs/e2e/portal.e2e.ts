/**
 * The Data Hub edition of "Get started with hybrid clients", step by step, in Chromium, against the mock's
 * portal; then the sample app signs in with the client it created. It takes the README's screenshots.
 */
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { appSettings, freePort } from '../../harness/kit.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { addSecretInWindow, signInToPortal } from '../../harness/portal-browser.ts';
import { alice } from '../../harness/test-seed.ts';
import type { EditionName } from '../../mock-idp/src/index.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import { startSampleApp } from '../../sample-app/src/server.ts';
import { screenshot } from './screenshots.ts';

/**
 * A procedure's stage: the mock in the edition asked for, the clipboard open to its Copy buttons, a desktop
 * window, and the port the sample app will take (its URLs go into the client).
 */
async function startProcedure(page: Page, context: BrowserContext, edition?: EditionName) {
  const appPort = await freePort();
  const idp = await startTestIdp({ edition });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: idp.origin });
  await page.setViewportSize({ width: 1280, height: 860 });
  return { appPort, appUrl: `http://localhost:${appPort}`, idp };
}

/** The sample app, configured with the client the portal made, signs a user in: the client works. */
async function signInWithSampleApp(
  page: Page,
  idp: TestIdp,
  client: { clientId: string; clientSecret: string; appPort: number },
): Promise<void> {
  const appUrl = `http://localhost:${client.appPort}`;
  const app = await startSampleApp(
    loadConfig({
      ...appSettings(
        idp,
        {
          id: client.clientId,
          secret: client.clientSecret,
          redirectUri: `${appUrl}/callback`,
          postLogoutRedirectUri: `${appUrl}/signed-out`,
        },
        client.appPort,
      ),
      SESSION_SECRET: 'a-session-secret-for-the-portal-journey',
    }).config,
  );
  try {
    await page.goto(`${appUrl}/login?returnTo=/profile`);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${appUrl}/profile`);
    await expect(page.locator('#refresh-token')).toContainText('Held on the server');
  } finally {
    await app.close();
  }
}

test('[#portal-procedure] [#secret-shown-once] create a hybrid client as the documentation says, then sign in with it from the sample app', async ({
  page,
  context,
}) => {
  const { appPort, appUrl, idp } = await startProcedure(page, context);
  try {
    await signInToPortal(page, idp.origin);

    // 1. In the left pane, select Security > Clients.
    const leftPane = page.getByRole('navigation', { name: 'Left pane' });
    await expect(leftPane.getByText('Security')).toBeVisible();
    await leftPane.getByRole('link', { name: 'Clients' }).click();
    // 2. From the Client Type dropdown list, select Hybrid.
    await page.getByLabel('Client Type').selectOption('Hybrid');
    await expect(page.getByLabel('Client Type')).toHaveValue('hybrid');
    await screenshot(page, 'datahub-1-clients');
    // 3. In the toolbar, click Add Client.
    await page.getByRole('link', { name: 'Add Client' }).click();
    // 4. Enter a name for the client.
    await page.getByLabel('Name').fill('My portal app');
    // 5. (Optional) Select the Allow Refresh Token check box.
    await page.getByLabel('Allow Refresh Token').check();
    await expect(
      page.getByText('Avoid selecting this option if there is no need to refresh tokens'),
    ).toBeVisible();
    // 6. Enter the URLs in the Allowed Redirect URL(s) text box, then click + to add it to the list.
    await page.getByLabel('Allowed Redirect URL(s)').fill(`${appUrl}/callback`);
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await expect(page.getByRole('list', { name: 'Allowed Redirect URLs' })).toContainText(
      `${appUrl}/callback`,
    );
    // 7. (Optional) Enter URLs in the Allowed Logout Redirect URL(s) text box, and click + to add it to the list.
    await page.getByLabel('Allowed Logout Redirect URL(s)').fill(`${appUrl}/signed-out`);
    await page.getByRole('button', { name: 'Add logout redirect URL' }).click();
    await expect(page.getByRole('list', { name: 'Allowed Logout Redirect URLs' })).toContainText(
      `${appUrl}/signed-out`,
    );
    // 8. (Optional) Set the Token Lifetime: 3600 by default, at least 60.
    await expect(page.getByLabel('Token Lifetime')).toHaveValue('3600');
    await page.getByLabel('Token Lifetime').fill('30');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByText('Token Lifetime must be at least 60 seconds.')).toBeVisible();
    await page.getByLabel('Token Lifetime').fill('1800');
    await screenshot(page, 'datahub-2-add-client');
    // 9. Select Add.
    await page.getByRole('button', { name: 'Add', exact: true }).click();

    // 10. In the Add Secret window, enter a description for the secret.
    const addSecret = page.getByRole('dialog', { name: 'Add Secret' });
    await addSecret.getByLabel('Description').fill('Sample app secret');
    // 11. Enter an expiration date: one year after creation by default.
    const inAYear = new Date();
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    await expect(addSecret.getByLabel('Expiration Date')).toHaveValue(inAYear.toISOString().slice(0, 10));
    await expect(addSecret.getByLabel('Never Expires')).not.toBeChecked();
    await screenshot(page, 'datahub-3-add-secret');
    // 12. Select Add.
    await addSecret.getByRole('button', { name: 'Add', exact: true }).click();

    // The Client Successfully Created window: Client Id and Client Secret, each with a Copy button.
    const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await created.getByLabel('Client Id', { exact: true }).inputValue();
    const clientSecret = await created.getByLabel('Client Secret', { exact: true }).inputValue();
    await created.getByRole('button', { name: 'Copy Client Id' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
    await created.getByRole('button', { name: 'Copy Client Secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientSecret);
    await screenshot(page, 'datahub-4-client-created');
    // 13. Select Close. The secret cannot be shown again; the client id is visible on the client.
    await created.getByRole('link', { name: 'Close' }).click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details.getByLabel('Client Id', { exact: true })).toHaveValue(clientId);
    await expect(details).toContainText('Sample app secret');
    await expect(details).toContainText(inAYear.toISOString().slice(0, 10));
    expect(await page.content()).not.toContain(clientSecret);
    await screenshot(page, 'datahub-5-details');

    // The application uses the new client: the sample app signs a user in with it.
    await signInWithSampleApp(page, idp, { clientId, clientSecret, appPort });
    expect(Number(await page.locator('#seconds-left').textContent())).toBeLessThanOrEqual(1800);
  } finally {
    await idp.dispose();
  }
});

test('the Details pane removes the lost secret and adds a new one, shown once', async ({ page }) => {
  const idp = await startTestIdp();
  try {
    await signInToPortal(page, idp.origin);
    await page.getByRole('link', { name: 'Offline spec client' }).click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await details.getByRole('link', { name: 'Remove secret first' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove Secret' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect(details).not.toContainText('first');
    await details.getByRole('link', { name: 'Add Secret' }).click();
    const addSecret = page.getByRole('dialog', { name: 'Add Secret' });
    await addSecret.getByLabel('Description').fill('replacement');
    await addSecret.getByLabel('Never Expires').check();
    await addSecret.getByRole('button', { name: 'Add', exact: true }).click();
    const created = page.getByRole('dialog', { name: 'Secret Successfully Created' });
    const value = await created.getByLabel('Client Secret', { exact: true }).inputValue();
    expect(value.length).toBeGreaterThanOrEqual(43);
    await created.getByRole('link', { name: 'Close' }).click();
    await expect(details).toContainText('replacement');
    await expect(details).toContainText('Never');
    expect(await page.content()).not.toContain(value);
  } finally {
    await idp.dispose();
  }
});

test('[#portal-ocs-edition] create a hybrid client as the OSIsoft Cloud Services edition says, then sign in with it', async ({
  page,
  context,
}) => {
  const { appPort, appUrl, idp } = await startProcedure(page, context, 'ocs');
  try {
    await signInToPortal(page, idp.origin);
    await expect(page.getByText('OSIsoft Cloud Services')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Left pane' })).toHaveCount(0);

    // 1. Click the menu icon and click Clients (under Security).
    await page.getByRole('button', { name: 'Menu' }).click();
    const menu = page.getByRole('navigation', { name: 'Menu' });
    await expect(menu.getByText('Security')).toBeVisible();
    await screenshot(page, 'ocs-1-menu');
    await menu.getByRole('link', { name: 'Clients' }).click();
    // 2. From the Client Type drop-down list, select Hybrid.
    await page.getByLabel('Client Type').selectOption('Hybrid');
    await expect(page.getByLabel('Client Type')).toHaveValue('hybrid');
    // 3. In the toolbar, click Add Client.
    await page.getByRole('link', { name: 'Add Client' }).click();
    // 4. Enter a name for the client.
    await page.getByLabel('Name').fill('My OCS app');
    // 5. (Optional) Select the Allow Refresh Token check box (... to keep users logged in to OCS).
    await expect(page.getByText('keep users logged in to OCS')).toBeVisible();
    await page.getByLabel('Allow Refresh Token').check();
    // 6. Enter the URLs in the Allowed Redirect URL(s) text box, and click + to add it to the list.
    await page.getByLabel('Allowed Redirect URL(s)').fill(`${appUrl}/callback`);
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    // 7. (Optional) Enter URLs in the Allowed Logout Redirect URL(s) text box, and click + to add it to the list.
    await page.getByLabel('Allowed Logout Redirect URL(s)').fill(`${appUrl}/signed-out`);
    await page.getByRole('button', { name: 'Add logout redirect URL' }).click();
    // 8. (Optional) Set the Token Lifetime.
    await expect(page.getByLabel('Token Lifetime')).toHaveValue('3600');
    await screenshot(page, 'ocs-2-add-client');
    // 9. Click Add. The Client Successfully Created window displays the client Id, with a Copy icon.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Add Secret' })).toHaveCount(0);
    const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await created.getByLabel('Client Id', { exact: true }).inputValue();
    await expect(created.getByLabel('Client Secret', { exact: true })).toHaveCount(0);
    await created.getByRole('button', { name: 'Copy Client Id' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
    await screenshot(page, 'ocs-3-client-created');
    // Alternatively, after you close the window, you can retrieve the client Id from the list of clients.
    await created.getByRole('link', { name: 'Close' }).click();
    await expect(page.getByRole('table', { name: 'Hybrid clients' })).toContainText(clientId);

    // The document stops there; the client needs a secret to redeem codes: the Details pane adds one.
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details).toContainText('No secrets');
    await details.getByRole('link', { name: 'Add Secret' }).click();
    await addSecretInWindow(page, 'OCS app secret');
    const secretWindow = page.getByRole('dialog', { name: 'Secret Successfully Created' });
    const clientSecret = await secretWindow.getByLabel('Client Secret', { exact: true }).inputValue();
    await screenshot(page, 'ocs-4-secret');
    await secretWindow.getByRole('link', { name: 'Close' }).click();

    await signInWithSampleApp(page, idp, { clientId, clientSecret, appPort });
  } finally {
    await idp.dispose();
  }
});
