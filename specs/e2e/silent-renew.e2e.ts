/**
 * [#authorization-response-framing] Silent renew, as AVEVA's SDS Angular sample sets it up: the app signs in again with
 * prompt=none in a hidden iframe. The mock's form_post answer can be framed (IdentityServer4's AuthorizeResult sets
 * no framing limit), so the iframe gets a code while the user's session lasts, and login_required without one.
 * The app here is on the identity server's site (127.0.0.1, another port): the session cookie of a cross-site
 * identity server reaches a frame only where the browser allows third-party cookies.
 */
import { createServer, type Server } from 'node:http';
import { test as base, expect, type Page } from '@playwright/test';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { freePort } from '../../harness/kit.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, type SeededHybridClient, seedWithAppClient } from '../../harness/test-seed.ts';

interface SilentApp {
  origin: string;
  idp: TestIdp;
  client: SeededHybridClient;
}

/** A page that renews in a hidden iframe, and the callback that hands the iframe's answer to that page. */
function silentAppServer(renewUrl: () => string): Server {
  return createServer(async (req, res) => {
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>${body}`);
    if (req.url === '/renew') {
      return html(`<p id="result">waiting</p><iframe hidden src="${renewUrl().replaceAll('&', '&amp;')}"></iframe>
<script>addEventListener('message', (event) => { document.getElementById('result').textContent = JSON.stringify(event.data); });</script>`);
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const fields = Object.fromEntries(new URLSearchParams(body));
    // In the frame it hands the answer to the page; at the top it only says it arrived.
    return html(
      `<p id="callback">arrived</p><script>if (parent !== window) parent.postMessage(${JSON.stringify(fields)}, '*');</script>`,
    );
  });
}

const test = base.extend<{ silentApp: SilentApp }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function asks for from this pattern.
  silentApp: async ({}, use) => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const { seed, client } = seedWithAppClient(origin);
    const idp = await startTestIdp({ seed });
    const server = silentAppServer(() =>
      authorizationUrl(idp, client, { prompt: 'none', response_mode: 'form_post' }),
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await use({ origin, idp, client });
    await new Promise((resolve) => server.close(resolve));
    await idp.dispose();
  },
});

async function renewResult(page: Page, origin: string): Promise<Record<string, string>> {
  await page.goto(`${origin}/renew`);
  await expect(page.locator('#result')).not.toHaveText('waiting');
  return JSON.parse((await page.locator('#result').textContent()) ?? '{}');
}

test('[#authorization-response-framing] prompt=none in a hidden iframe answers login_required without a session, and a code with one', async ({
  page,
  silentApp: { origin, idp, client },
}) => {
  expect(await renewResult(page, origin)).toMatchObject({ error: 'login_required' });

  await page.goto(authorizationUrl(idp, client));
  await page.locator('#email').fill(alice.email);
  await page.locator('#password').fill(alice.password);
  await page.locator('#submit').click();
  await expect(page.locator('#callback')).toHaveText('arrived');

  const renewed = await renewResult(page, origin);
  expect(renewed).toMatchObject({ code: expect.any(String), id_token: expect.any(String) });
  expect(renewed).not.toHaveProperty('error');
});
