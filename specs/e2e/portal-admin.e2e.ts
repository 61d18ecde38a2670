/**
 * Looking after a client in the portal, in Chromium: fix a typo in a redirect URL, remove a secret and delete a
 * client only after saying yes, reload after creating without creating twice; and the same pages on a 390-px
 * phone: nothing to scroll sideways, URLs wrapped at their separators, the keyboard kept inside an open window.
 */
import { expect, test } from '@playwright/test';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  addSecretInWindow,
  expectNoSidewaysScroll,
  focusStaysIn,
  lineEndings,
  signInToPortal,
} from '../../harness/portal-browser.ts';
import { carol } from '../../harness/test-seed.ts';
import { screenshot } from './screenshots.ts';

const longCallback =
  'https://portal-walkthrough.example.com/identity/sign-in/callback-for-the-walkthrough?app=portal';

function addClient(idp: TestIdp, name: string, redirectUri = 'https://typo.example/calback') {
  return idp.context.administration.createHybridClient(
    carol.tenantId,
    {
      name,
      enabled: true,
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [],
      clientUri: null,
      logoUri: null,
      accessTokenLifetime: 3600,
      allowOfflineAccess: true,
      allowAccessTokensViaBrowser: false,
      tags: [],
    },
    { description: 'first secret' },
  ).client;
}

test('[#portal-edit] edit a redirect URL, remove a secret and delete a client, each confirmed; reload after Add creates nothing', async ({
  page,
}) => {
  const idp = await startTestIdp();
  try {
    const client = addClient(idp, 'Typo app');
    await signInToPortal(page, idp.origin);
    await page.getByRole('link', { name: 'Typo app' }).click();
    const details = page.getByRole('complementary', { name: 'Details' });

    // Edit: remove the misspelt URL, add the right one, save.
    await details.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByRole('heading', { name: /Edit Client/ })).toBeVisible();
    await page.getByRole('button', { name: 'Remove https://typo.example/calback' }).click();
    await page.getByLabel('Allowed Redirect URL(s)').fill('https://typo.example/callback');
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await page.getByLabel('Token Lifetime').fill('10');
    await page.getByRole('button', { name: 'Save' }).click();
    const lifetime = page.getByLabel('Token Lifetime');
    await expect(lifetime).toHaveAttribute('aria-invalid', 'true');
    await expect(lifetime).toHaveAccessibleDescription(/Token Lifetime must be at least 60 seconds/);
    await lifetime.fill('1200');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Changes saved.');
    await expect(details).toContainText('https://typo.example/callback');
    await expect(details).not.toContainText('calback');
    await expect(details).toContainText('1200 seconds');
    expect(idp.context.administration.hybridClient(carol.tenantId, client.id).redirectUris).toEqual([
      'https://typo.example/callback',
    ]);

    // Remove a secret: a window asks first; Cancel keeps it.
    await details.getByRole('link', { name: 'Remove secret first secret' }).click();
    const removeSecret = page.getByRole('alertdialog', { name: 'Remove Secret' });
    await expect(removeSecret).toContainText('Applications that use it can no longer redeem codes');
    await removeSecret.getByRole('link', { name: 'Cancel' }).click();
    await expect(details).toContainText('first secret');
    await details.getByRole('link', { name: 'Remove secret first secret' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove Secret' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect(page.getByRole('status')).toHaveText('Secret removed.');
    await expect(details).toContainText('No secrets');

    // Delete: a window asks first.
    await details.getByRole('link', { name: 'Delete' }).click();
    const deleteClient = page.getByRole('alertdialog', { name: 'Delete Client' });
    await expect(deleteClient).toContainText('Delete Typo app?');
    await deleteClient.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('status')).toHaveText('Client deleted.');
    await expect(page.getByRole('table', { name: 'Hybrid clients' })).not.toContainText('Typo app');

    // Add a client, then reload the page the Add led to: still one client, and the secret is not shown again.
    await page.getByRole('link', { name: 'Add Client' }).click();
    await page.getByLabel('Name').fill('Reloaded app');
    await page.getByLabel('Allowed Redirect URL(s)').fill('https://reload.example/callback');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await addSecretInWindow(page, 'reload secret');
    const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const secret = await created.getByLabel('Client Secret', { exact: true }).inputValue();
    await page.reload();
    await expect(page.getByRole('dialog', { name: 'Client Successfully Created' })).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    const named = idp.context.administration
      .hybridClients(carol.tenantId)
      .filter((c) => c.name === 'Reloaded app');
    expect(named).toHaveLength(1);
  } finally {
    await idp.dispose();
  }
});

test('[#portal-edit] the portal on a 390-px phone: no sideways scroll, URLs wrap at separators, focus kept in windows', async ({
  page,
}) => {
  const idp = await startTestIdp();
  try {
    const client = addClient(idp, 'Phone app', longCallback);
    await page.setViewportSize({ width: 390, height: 844 });
    await signInToPortal(page, idp.origin);
    await expectNoSidewaysScroll(page);

    await page.getByRole('link', { name: 'Phone app' }).click();
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-details', { fullPage: true });
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details).toContainText(longCallback);
    const endings = await lineEndings(page, `.details code.url:has-text("portal-walkthrough")`);
    expect(endings.length, 'the long URL wraps on a phone').toBeGreaterThan(0);
    for (const ending of endings) expect('/.?&=#:_-').toContain(ending);

    // The Add Client form with a problem shown, then the Add Secret window.
    await page.getByRole('link', { name: 'Add Client' }).click();
    await page.getByLabel('Allowed Redirect URL(s)').fill(longCallback);
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Name')).toHaveAccessibleDescription('A name is required.');
    await expectNoSidewaysScroll(page);
    await page.getByLabel('Name').fill('Second phone app');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const addSecret = page.getByRole('dialog', { name: 'Add Secret' });
    await expect(addSecret.getByLabel('Description')).toBeFocused();
    await expectNoSidewaysScroll(page);
    expect(await focusStaysIn(page, '[role="dialog"]', 12)).not.toContain(false);

    // The confirmation window: the focus moves into it and stays there; Escape leaves it.
    await page.goto(`${idp.origin}/portal/clients?type=hybrid&selected=${client.id}&dialog=delete-client`);
    const confirm = page.getByRole('alertdialog', { name: 'Delete Client' });
    await expect(confirm).toBeVisible();
    await screenshot(page, 'phone-delete');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="alertdialog"]')))).toBe(
      true,
    );
    expect(await focusStaysIn(page, '[role="alertdialog"]', 8)).not.toContain(false);
    await expectNoSidewaysScroll(page);
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    expect(idp.context.administration.hybridClient(carol.tenantId, client.id).name).toBe('Phone app');
  } finally {
    await idp.dispose();
  }
});

test('[#portal-ocs-edition] the OCS edition on a 390-px phone: the menu icon opens Clients, nothing to scroll sideways', async ({
  page,
}) => {
  const idp = await startTestIdp({ edition: 'ocs' });
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInToPortal(page, idp.origin);
    await expectNoSidewaysScroll(page);
    await page.getByRole('button', { name: 'Menu' }).click();
    const menu = page.getByRole('navigation', { name: 'Menu' });
    await expect(menu.getByRole('link', { name: 'Clients' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await menu.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Add Client' }).click();
    await expect(page.getByText('keep users logged in to OCS')).toBeVisible();
    await expectNoSidewaysScroll(page);
  } finally {
    await idp.dispose();
  }
});
