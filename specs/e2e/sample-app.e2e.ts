/**
 * The sample app's whole journey in Chromium, with the identity server (127.0.0.1) and the app (localhost) on
 * different sites, so the form_post callback is a cross-site POST as in production.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { type RunningKit, startKit } from '../../harness/kit.ts';
import { alice, tenant } from '../../harness/test-seed.ts';
import { endGrant } from '../../mock-idp/src/protocol/grants/refresh-families.ts';

const test = base.extend<{ kit: RunningKit }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function asks for from this pattern.
  kit: async ({}, use) => {
    const kit = await startKit();
    await use(kit);
    await kit.close();
  },
});

async function signIn(page: Page, kit: RunningKit, path = '/') {
  await page.goto(kit.appUrl + path);
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await expect(page).toHaveURL(new RegExp(`^${kit.idp.issuer}/account/login`));
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(kit.appUrl + path);
}

test('signs in, shows the profile, calls the API, refreshes (manually and automatically) and signs out', async ({
  page,
  kit,
}) => {
  await signIn(page, kit);
  await expect(page.locator('#user-name')).toHaveText(alice.name);
  await expect(page.locator('#tenant')).toHaveText(tenant.id);

  // The session cookie is Lax and HttpOnly; the sign-in transaction cookie is gone after the callback.
  const cookies = await page.context().cookies([kit.appUrl, `${kit.appUrl}/callback`]);
  expect(cookies.find((cookie) => cookie.name === 'hck.sid')).toMatchObject({
    httpOnly: true,
    sameSite: 'Lax',
  });
  expect(cookies.filter((cookie) => /^hck_signin_\d+$/.test(cookie.name))).toEqual([]);

  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(page.locator('#claims')).toContainText(alice.id);
  await expect(page.locator('#scopes')).toContainText('offline_access');
  await expect(page.locator('#refresh-token')).toContainText('Held on the server');
  expect(Number(await page.locator('#seconds-left').textContent())).toBeGreaterThan(3500);
  expect(await page.content()).not.toMatch(/eyJ[\w-]+\.eyJ/);

  await page.getByRole('link', { name: 'Namespaces' }).click();
  await expect(page.locator('#namespaces li')).toHaveCount(3);
  await expect(page.locator('#namespaces')).toContainText('production');

  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('status')).toHaveText('The access token was refreshed.');
  const firstRefresh = await page.locator('#refreshed-at').textContent();

  // Shortly before expiry, the next API call refreshes the token first.
  kit.appClock.advance(3550);
  await page.getByRole('link', { name: 'Namespaces' }).click();
  await expect(page.locator('#namespaces li')).toHaveCount(3);
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(page.locator('#refreshed-at')).not.toHaveText(firstRefresh ?? '');
  expect(Number(await page.locator('#seconds-left').textContent())).toBeGreaterThan(3500);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${kit.appUrl}/signed-out\\?state=`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are signed out');

  // Signed out at the identity server too: the profile asks for the login page again.
  await page.goto(`${kit.appUrl}/profile`);
  await expect(page).toHaveURL(new RegExp(`^${kit.idp.issuer}/account/login`));
});

test('returns to the page the user was going to', async ({ page, kit }) => {
  await page.goto(`${kit.appUrl}/namespaces`);
  await expect(page).toHaveURL(new RegExp(`^${kit.idp.issuer}/account/login`));
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${kit.appUrl}/namespaces`);
  await expect(page.locator('#namespaces li')).toHaveCount(3);
});

test('a cancelled sign-in shows what happened and offers to sign in again', async ({ page, kit }) => {
  await page.goto(`${kit.appUrl}/login`);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign-in cancelled');
  await expect(page.getByRole('alert')).toContainText('access_denied');
  await expect(page.getByRole('link', { name: 'Sign in' }).last()).toBeVisible();
});

test('a revoked refresh token ends the sign-in with a clear page, and signing in again works', async ({
  page,
  kit,
}) => {
  await signIn(page, kit, '/');
  const ctx = kit.idp.context;
  for (const grant of ctx.store.grants.values()) endGrant(ctx, grant.id);

  await page.goto(`${kit.appUrl}/profile`);
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Please sign in again');
  await expect(page.getByRole('alert')).toContainText('expired or was revoked');

  // Still signed in at the identity server: signing in again needs no password.
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(`${kit.appUrl}/profile`);
  await expect(page.locator('#refresh-token')).toContainText('Held on the server');
});

test('an access token the API refuses is refreshed once and the call succeeds', async ({ page, kit }) => {
  await signIn(page, kit);
  // The key that signed the access token is retired: the API refuses a token the app thinks is fresh.
  for (let rotation = 0; rotation < 3; rotation += 1) await kit.idp.context.keys.rotate();
  await page.goto(`${kit.appUrl}/namespaces`);
  await expect(page.locator('#namespaces li')).toHaveCount(3);
});

test('[#sample-invalid-client-page] a deleted client secret shows the credentials page, not a generic error', async ({
  page,
  kit,
}) => {
  // The app's only secret is deleted at the identity server (Security > Clients > Details > Remove).
  const { administration } = kit.idp.context;
  const [secret] = administration.secrets(tenant.id, kit.client.id);
  administration.removeSecret(tenant.id, kit.client.id, secret?.id ?? 0);

  await page.goto(`${kit.appUrl}/login`);
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    "The identity server did not accept this app's credentials",
  );
  await expect(page.getByRole('alert')).toContainText('CLIENT_SECRET');
});

test('an unreachable identity server gets a clear page, and the session survives it', async ({
  page,
  kit,
}) => {
  await signIn(page, kit);
  await kit.stopIdp();
  await page.goto(`${kit.appUrl}/profile`);
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The identity server cannot be reached');
  await page.goto(`${kit.appUrl}/profile`);
  await expect(page.locator('#claims')).toContainText(alice.id);
});

test('[#form-post-cross-site] the sign-in state crosses sites in its own SameSite=None cookie, while the session cookie stays Lax', async ({
  page,
  kit,
}) => {
  await page.goto(`${kit.appUrl}/login`);
  await expect(page).toHaveURL(new RegExp(`^${kit.idp.issuer}/account/login`));
  const [transaction] = (await page.context().cookies(`${kit.appUrl}/callback`)).filter((cookie) =>
    /^hck_signin_\d+$/.test(cookie.name),
  );
  expect(transaction).toMatchObject({ sameSite: 'None', secure: true, httpOnly: true, path: '/callback' });

  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#user-name')).toHaveText(alice.name);
});

test.describe('a client without Allow Refresh Token', () => {
  const noRefresh = base.extend<{ kit: RunningKit }>({
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function asks for from this pattern.
    kit: async ({}, use) => {
      const kit = await startKit({
        allowOfflineAccess: false,
        accessTokenLifetime: 60,
        scopes: 'openid profile email ocsapi',
      });
      await use(kit);
      await kit.close();
    },
  });

  noRefresh(
    'says so, and signs the user in again when the access token expires, without a page in between',
    async ({ page, kit }) => {
      await signIn(page, kit, '/');
      await page.getByRole('link', { name: 'Profile', exact: true }).click();
      await expect(page.locator('#refresh-token')).toContainText('not allowed refresh tokens');
      await expect(page.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);

      kit.appClock.advance(61);
      // The identity server still has a session: the sign-in goes through it and straight back to the namespaces.
      await page.getByRole('link', { name: 'Namespaces' }).click();
      await expect(page).toHaveURL(`${kit.appUrl}/namespaces`);
      await expect(page.locator('#namespaces li')).toHaveCount(3);
    },
  );
});

test("[#authorization-error-page] an app that asks for offline_access without Allow Refresh Token is told what to change, on the identity server's error page", async ({
  page,
}) => {
  const kit = await startKit({ allowOfflineAccess: false, scopes: 'openid profile ocsapi offline_access' });
  try {
    await page.goto(`${kit.appUrl}/login`);
    // As IdentityServer4: the refusal stays at the identity server, and the app never hears of it.
    await expect(page).toHaveURL(new RegExp(`^${kit.idp.issuer}/connect/authorize`));
    await expect(page.getByRole('alert')).toContainText('invalid_scope');
    await expect(page.getByRole('alert')).toContainText('Allow Refresh Token');
  } finally {
    await kit.close();
  }
});

test('an identity server that is down at sign-in gets a page that says so', async ({ page, kit }) => {
  await kit.stopIdp();
  await page.goto(`${kit.appUrl}/login`);
  // The app has not reached the identity server yet (discovery happens at the first sign-in), and now cannot.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The identity server cannot be reached');
});
