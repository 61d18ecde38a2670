/**
 * "How this sign-in worked", after a real sign-in in Chromium: the steps of the user's own sign-in (the request,
 * the form_post with c_hash recomputed, the code exchange, UserInfo), a refresh and the sign-out, every check
 * passed, and no whole code, token or secret anywhere on the pages. The profile reads as a person reads.
 */
import { expect, type Page, test } from '@playwright/test';
import session from 'express-session';
import { halfHashOf } from '../../harness/hybrid-flow.ts';
import { startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { screenshot } from './screenshots.ts';

/** Every credential the sample app holds in its sessions now (tokens), to look for on the pages. */
function credentialsIn(store: session.MemoryStore): Promise<string[]> {
  return new Promise((resolve, reject) =>
    store.all((error, sessions) => {
      if (error) return reject(error);
      const values = Object.values(sessions ?? {}).flatMap((stored) => {
        const tokens = (stored as Partial<session.SessionData>).tokens;
        return tokens ? [tokens.accessToken, tokens.idToken, tokens.refreshToken ?? ''] : [];
      });
      resolve(values.filter(Boolean));
    }),
  );
}

async function expectNoneShown(page: Page, values: Iterable<string>): Promise<void> {
  const html = await page.content();
  for (const value of values) expect(html.includes(value), `a whole credential on ${page.url()}`).toBe(false);
}

test('[#sample-sign-in-flow] the steps of your own sign-in, refresh and sign-out, with no whole token or secret', async ({
  page,
}) => {
  const store = new session.MemoryStore();
  const kit = await startKit({ sessionStore: store });
  const secrets = new Set<string>([kit.client.secret]);
  let code = '';
  let sentChallenge = '';
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/connect/authorize') && !sentChallenge)
      sentChallenge = url.searchParams.get('code_challenge') ?? '';
    if (request.method() !== 'POST' || !request.url().endsWith('/callback')) return;
    const fields = new URLSearchParams(request.postData() ?? '');
    code = fields.get('code') ?? '';
    for (const name of ['code', 'id_token']) secrets.add(fields.get(name) ?? '');
  });
  try {
    await page.goto(`${kit.appUrl}/login?returnTo=/profile`);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${kit.appUrl}/profile`);
    for (const value of await credentialsIn(store)) secrets.add(value);
    expect(secrets.size).toBeGreaterThanOrEqual(6);

    // The profile: readable times, both id_tokens, UserInfo, the roles by name.
    await expect(page.locator('#expires-in')).toHaveText(/^in (59|60) minutes$/);
    await expect(page.locator('#expires-at')).toHaveText(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
    await expect(page.locator('#claims')).toContainText(
      /exp\s*\d{1,2} \w{3} \d{4}, [\d:]+ UTC, in 5 minutes \(\d+\)/,
    );
    await expect(page.locator('#front-channel-claims')).toContainText('c_hash');
    await expect(page.locator('#front-channel-claims')).toContainText('nonce');
    await expect(page.locator('#userinfo')).toContainText(alice.email);
    await expect(page.locator('#roles')).toHaveText('Tenant Member');
    await expectNoneShown(page, secrets);
    await screenshot(page, 'sample-profile');

    await page.getByRole('link', { name: 'How this sign-in worked' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('How this sign-in worked');
    const steps = page.locator('section.step');
    await expect(steps.locator('h3')).toHaveText([
      /1\. The authorization request/,
      /2\. The form_post your browser delivered/,
      /3\. The code exchange \(back channel\)/,
      /4\. UserInfo/,
    ]);
    const request = steps.nth(0);
    for (const parameter of [
      'response_type',
      'response_mode',
      'code_challenge',
      'code_challenge_method',
      'nonce',
      'state',
    ]) {
      await expect(request.getByRole('rowheader', { name: parameter, exact: true })).toBeVisible();
    }
    await expect(request).toContainText('code id_token');
    await expect(request).toContainText('form_post');
    // The request as the browser was sent it, not one rebuilt at the callback.
    await expect(request.getByRole('row', { name: 'code_challenge', exact: false }).first()).toContainText(
      sentChallenge,
    );
    await expect(request.locator('li.ok')).toContainText(
      'code_challenge sent is BASE64URL(SHA-256(code_verifier sent with the code))',
    );
    await expect(request.locator('li.ok')).toContainText('enforced by the identity server; recomputed here');
    const formPost = steps.nth(1);
    await expect(formPost.locator('li.ok')).toHaveCount(4);
    await expect(formPost.locator('li.ok', { hasText: 'c_hash' })).toContainText(halfHashOf(code));
    await expect(formPost).toContainText('id_token (front channel), decoded');
    const exchange = steps.nth(2);
    await expect(exchange).toContainText('grant_type');
    await expect(exchange).toContainText(`client_secret_basic: client_id ${kit.client.id}, secret not shown`);
    await expect(exchange.getByRole('rowheader', { name: 'code_verifier' })).toBeVisible();
    await expect(exchange).toContainText('access_token, decoded');
    await expect(exchange.locator('li.ok')).toHaveCount(2);
    await expect(page.locator('li.failed')).toHaveCount(0);
    await expect(page.locator('.rules')).toContainText(['#c-hash']);
    await expectNoneShown(page, secrets);
    await screenshot(formPost, 'sample-how-it-worked');

    // A refresh: the spent refresh token and the new one differ.
    await page.goto(`${kit.appUrl}/profile`);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByRole('status')).toHaveText('The access token was refreshed.');
    for (const value of await credentialsIn(store)) secrets.add(value);
    await page.getByRole('link', { name: 'How this sign-in worked' }).click();
    const stepTitled = (title: RegExp) =>
      page.locator('section.step').filter({ has: page.getByRole('heading', { level: 3, name: title }) });
    const refresh = stepTitled(/\d+\. A refresh/);
    await expect(refresh.locator('li.ok')).toContainText('a new refresh token replaced the spent one');
    await expect(refresh).toContainText('refresh_token');
    await expectNoneShown(page, secrets);

    // Sign-out: the revocation, the end-session request, and the return with its state, on the signed-out page
    // (the session has ended: the steps came in a sealed cookie, shown once).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are signed out');
    await expect(page.getByRole('heading', { name: 'How this sign-out worked' })).toBeVisible();
    await expect(page.locator('section.step h3')).toHaveText([
      /1\. Revoking the refresh token/,
      /2\. The end-session request/,
      /3\. Back at the app/,
    ]);
    await expect(stepTitled(/Revoking the refresh token/).locator('li.ok')).toHaveCount(1);
    await expect(stepTitled(/The end-session request/)).toContainText('id_token_hint');
    await expect(stepTitled(/The end-session request/)).toContainText('post_logout_redirect_uri');
    await expect(stepTitled(/Back at the app/).locator('li.ok')).toHaveCount(1);
    await expect(page.locator('li.failed')).toHaveCount(0);
    await expectNoneShown(page, secrets);
    await screenshot(page, 'sample-signed-out');
    expect(await credentialsIn(store)).toEqual([]);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'How this sign-out worked' })).toHaveCount(0);
    // Signed out: the profile asks for a sign-in again.
    await page.goto(`${kit.appUrl}/profile`);
    await expect(page).not.toHaveURL(`${kit.appUrl}/profile`);
  } finally {
    await kit.close();
  }
});
