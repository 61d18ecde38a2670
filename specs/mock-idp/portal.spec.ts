/**
 * The portal over HTTP: sign-in for Tenant Administrators only, forms protected from cross-site posts, the Add
 * Client steps with problems shown beside their field, the secret shown once, secrets removed and added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, carol, offlineClient, otherTenantClient } from '../../harness/test-seed.ts';
import { type Hop, UserAgent } from '../../harness/user-agent.ts';

let idp: TestIdp;
let portal: string;
beforeAll(async () => {
  idp = await startTestIdp();
  portal = `${idp.origin}/portal`;
});
afterAll(() => idp.dispose());

async function signedInAdministrator(): Promise<UserAgent> {
  const agent = new UserAgent();
  const hop = await agent.request(`${portal}/login`, {
    form: { email: carol.email, password: carol.password },
  });
  expect(hop.response.status).toBe(303);
  return agent;
}

const csrfOf = (hop: Hop) => UserAgent.csrfToken(hop.body) ?? '';
const fieldError = (hop: Hop, field: string) =>
  new RegExp(`id="${field}-error" role="alert">([^<]*)<`).exec(hop.body)?.[1] ?? null;

async function addClientForm(agent: UserAgent) {
  const page = await agent.request(`${portal}/clients/new`);
  const base = { _csrf: csrfOf(page), name: 'Portal app', tokenLifetime: '3600' };
  const post = (form: Record<string, string | string[]>) =>
    agent.request(`${portal}/clients/new`, { form: { ...base, ...(form as Record<string, string>) } });
  return Object.assign(post, { agent });
}

/** Where a post's redirect leads, fetched as the browser would. */
async function followed(agent: UserAgent, hop: Hop): Promise<Hop> {
  expect(hop.response.status).toBe(303);
  return agent.request(new URL(hop.response.headers.get('location') ?? '', portal).href);
}

describe('portal sign-in', () => {
  it('sends a visitor to the sign-in page', async () => {
    const hop = await new UserAgent().request(`${portal}/clients?type=hybrid`);
    expect(hop.response.status).toBe(303);
    expect(hop.response.headers.get('location')).toBe('/portal/login');
  });

  it('refuses a user who is not a Tenant Administrator', async () => {
    const hop = await new UserAgent().request(`${portal}/login`, {
      form: { email: alice.email, password: alice.password },
    });
    expect(hop.response.status).toBe(401);
    expect(hop.body).toContain('Only a Tenant Administrator');
  });

  it('[#sessions-kept-apart] does not take a sign-on session (the mockidp_session cookie) as a portal session', async () => {
    const browser = new UserAgent();
    await browser.signIn(authorizationUrl(idp, offlineClient), carol);
    const ssoSession = browser.cookie(idp.issuer, 'mockidp_session');
    expect(ssoSession).toEqual(expect.any(String));
    const forged = await fetch(`${portal}/clients?type=hybrid`, {
      headers: { cookie: `mockidp_portal=${ssoSession}` },
      redirect: 'manual',
    });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/portal/login');
  });

  it('refuses a wrong password', async () => {
    const hop = await new UserAgent().request(`${portal}/login`, {
      form: { email: carol.email, password: 'nope' },
    });
    expect(hop.body).toContain('The email or password is not correct.');
  });

  it('shows Security > Clients with the Hybrid client type to an administrator', async () => {
    const agent = await signedInAdministrator();
    const hop = await agent.request(`${portal}/clients?type=hybrid`);
    expect(hop.body).toContain('Security');
    expect(hop.body).toContain('Client Type');
    expect(hop.body).toContain('Add Client');
    expect(hop.body).toContain('Offline spec client');
  });

  it('says other client types are not supported by the mock', async () => {
    const agent = await signedInAdministrator();
    const hop = await agent.request(`${portal}/clients?type=client-credentials`);
    expect(hop.body).toContain('not supported by the mock');
    expect(hop.body).not.toContain('>Add Client<');
  });
});

describe('cross-site protection', () => {
  it('refuses a form without its token', async () => {
    const agent = await signedInAdministrator();
    const hop = await agent.request(`${portal}/clients/new`, { form: { name: 'x', action: 'add' } });
    expect(hop.response.status).toBe(403);
  });

  it('refuses a form posted from another site', async () => {
    const agent = await signedInAdministrator();
    const page = await agent.request(`${portal}/clients/new`);
    const cookie = [...(agent.cookies.get(new URL(portal).host) ?? [])]
      .map(([n, v]) => `${n}=${v}`)
      .join('; ');
    const response = await fetch(`${portal}/clients/new`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrfOf(page), name: 'x', action: 'add' }),
    });
    expect(response.status).toBe(403);
  });
});

describe('Add Client', () => {
  it('[#portal-procedure] builds the URL lists with +, and says beside the field why a URL is refused', async () => {
    const post = await addClientForm(await signedInAdministrator());
    const added = await post({ redirectUriInput: 'https://portal.example/cb', action: 'add-redirect' });
    expect(added.body).toContain('name="redirectUris" value="https://portal.example/cb"');
    const refused = await post({
      redirectUriInput: 'https://portal.example/cb#here',
      action: 'add-redirect',
    });
    expect(fieldError(refused, 'redirectUriInput')).toMatch(/fragment/);
    const empty = await post({ logoutUriInput: '', action: 'add-logout' });
    expect(fieldError(empty, 'logoutUriInput')).toMatch(/Enter a URL first/);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['no name', { name: '' }, 'name', /^A name is required\.$/],
    [
      'a redirect URL with a fragment',
      { redirectUris: 'https://portal.example/cb#x' },
      'redirectUris',
      /^https:\/\/portal\.example\/cb#x must not contain a fragment\.$/,
    ],
    ['no redirect URL', {}, 'redirectUris', /^At least one redirect URL is required\.$/],
    [
      'a token lifetime of 30',
      { tokenLifetime: '30' },
      'tokenLifetime',
      /Token Lifetime must be at least 60 seconds/,
    ],
    [
      'a token lifetime of 7200',
      { tokenLifetime: '7200' },
      'tokenLifetime',
      /Token Lifetime must be at most 3600 seconds/,
    ],
  ])('shows a problem beside the field for %s', async (_case, form, field, message) => {
    const post = await addClientForm(await signedInAdministrator());
    const redirect: Record<string, string> =
      field === 'redirectUris' ? {} : { redirectUris: 'https://portal.example/cb' };
    const hop = await post({ ...redirect, ...form, action: 'add' });
    expect(hop.response.status).toBe(400);
    expect(fieldError(hop, field)).toMatch(message);
    expect(hop.body).not.toContain('Add Secret');
  });

  it('[#portal-procedure] asks for a secret, creates the client, and shows id and secret once', async () => {
    const post = await addClientForm(await signedInAdministrator());
    const client = { name: 'Portal app', redirectUris: 'https://portal.example/cb', allowRefreshToken: 'on' };
    const secretStep = await post({ ...client, action: 'add' });
    expect(secretStep.body).toContain('Add Secret');
    const defaultDate = new Date(idp.clock.now());
    defaultDate.setUTCFullYear(defaultDate.getUTCFullYear() + 1);
    expect(secretStep.body).toContain(`value="${defaultDate.toISOString().slice(0, 10)}"`);

    const missingDescription = await post({ ...client, action: 'add-secret', secretDescription: '' });
    expect(fieldError(missingDescription, 'secretDescription')).toMatch(/Enter a description/);
    const pastDate = await post({
      ...client,
      action: 'add-secret',
      secretDescription: 'd',
      secretExpiration: '2001-01-01',
    });
    expect(fieldError(pastDate, 'secretExpiration')).toMatch(/future/);

    const clientsBefore = idp.context.administration.hybridClients(carol.tenantId).length;
    const answer = await post({
      ...client,
      action: 'add-secret',
      secretDescription: 'first',
      neverExpires: 'on',
    });
    // Post/redirect/get: the window is on the page the redirect leads to, so a reload sends no form again.
    expect(answer.response.status).toBe(303);
    const windowUrl = new URL(answer.response.headers.get('location') ?? '', portal).href;
    const created = await post.agent.request(windowUrl);
    expect(created.body).toContain('Client Successfully Created');
    const clientId = /id="createdClientId" value="([^"]+)"/.exec(created.body)?.[1] as string;
    const secret = /id="createdClientSecret" value="([^"]+)"/.exec(created.body)?.[1] as string;
    const stored = idp.context.store.clients.get(clientId);
    expect(stored).toMatchObject({ name: 'Portal app', allowOfflineAccess: true, accessTokenLifetime: 3600 });
    expect(stored?.secrets[0]).toMatchObject({ description: 'first', expiresAt: null });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(created.response.headers.get('cache-control')).toBe('no-store');

    const reloaded = await post.agent.request(windowUrl);
    expect(reloaded.response.status).toBe(200);
    expect(reloaded.body).not.toContain(secret);
    expect(reloaded.body).not.toContain('Client Successfully Created');
    expect(idp.context.administration.hybridClients(carol.tenantId)).toHaveLength(clientsBefore + 1);
  });
});

describe('Details pane', () => {
  it('[#portal-procedure] [#secret-shown-once] removes a secret and adds a new one, shown once, with its expiry', async () => {
    const agent = await signedInAdministrator();
    const created = idp.context.administration.createHybridClient(
      carol.tenantId,
      {
        name: 'Details app',
        enabled: true,
        redirectUris: ['https://d.example/cb'],
        postLogoutRedirectUris: [],
        clientUri: null,
        logoUri: null,
        accessTokenLifetime: 600,
        allowOfflineAccess: false,
        allowAccessTokensViaBrowser: false,
        tags: [],
      },
      { description: 'lost secret' },
    );
    const id = created.client.id;
    const details = await agent.request(`${portal}/clients?type=hybrid&selected=${id}`);
    expect(details.body).toContain('lost secret');
    expect(details.body).toContain('600 seconds');

    const removed = await agent.request(`${portal}/clients/${id}/secrets/1/remove`, {
      form: { _csrf: csrfOf(details) },
    });
    expect(removed.response.status).toBe(303);
    expect(idp.context.store.clients.get(id)?.secrets).toEqual([]);

    const added = await followed(
      agent,
      await agent.request(`${portal}/clients/${id}/secrets`, {
        form: { _csrf: csrfOf(details), secretDescription: 'replacement', secretExpiration: '2099-12-31' },
      }),
    );
    expect(added.body).toContain('Secret Successfully Created');
    const value = /id="newClientSecret" value="([^"]+)"/.exec(added.body)?.[1] as string;
    expect(value.length).toBeGreaterThanOrEqual(43);
    const again = await agent.request(`${portal}/clients?type=hybrid&selected=${id}`);
    expect(again.body).not.toContain(value);
    expect(again.body).toContain('2099-12-31');
  });
});

function clientOf(tenantId: string, name: string, target: TestIdp = idp) {
  return target.context.administration.createHybridClient(
    tenantId,
    {
      name,
      enabled: true,
      redirectUris: ['https://edit.example/callback'],
      postLogoutRedirectUris: ['https://edit.example/signed-out'],
      clientUri: null,
      logoUri: null,
      accessTokenLifetime: 900,
      allowOfflineAccess: true,
      allowAccessTokensViaBrowser: false,
      tags: [],
    },
    { description: 'only secret' },
  ).client;
}

describe('Edit and Delete', () => {
  it('[#portal-edit] edits a client through the same rules as the API, fixing a typo in a redirect URL', async () => {
    const agent = await signedInAdministrator();
    const client = clientOf(carol.tenantId, 'Typo app');
    const form = await agent.request(`${portal}/clients/${client.id}/edit`);
    expect(form.body).toContain('Edit Client');
    expect(form.body).toContain('value="Typo app"');
    expect(form.body).toContain('name="redirectUris" value="https://edit.example/callback"');
    expect(form.body).toContain('value="900"');
    expect(form.body).not.toContain('Add Secret');
    const fields = {
      _csrf: csrfOf(form),
      name: 'Fixed app',
      tokenLifetime: '1200',
      logoutUris: 'https://edit.example/signed-out',
    };

    const refused = await agent.request(`${portal}/clients/${client.id}/edit`, {
      form: { ...fields, tokenLifetime: '30', redirectUris: 'https://edit.example/callback', action: 'save' },
    });
    expect(refused.response.status).toBe(400);
    expect(fieldError(refused, 'tokenLifetime')).toMatch(/at least 60 seconds/);
    expect(refused.body).toMatch(
      /id="tokenLifetime"[^>]*aria-invalid="true" aria-describedby="tokenLifetime-error"/,
    );
    expect(idp.context.store.clients.get(client.id)).toMatchObject({
      name: 'Typo app',
      accessTokenLifetime: 900,
    });

    // Remove the wrong URL, type the right one: Save adds a typed URL as + would.
    const saved = await agent.request(`${portal}/clients/${client.id}/edit`, {
      form: { ...fields, redirectUriInput: 'https://edit.example/callback-fixed', action: 'save' },
    });
    expect(saved.response.headers.get('location')).toBe(
      `/portal/clients?type=hybrid&selected=${client.id}&notice=saved`,
    );
    expect(idp.context.store.clients.get(client.id)).toMatchObject({
      name: 'Fixed app',
      accessTokenLifetime: 1200,
      allowOfflineAccess: false,
      redirectUris: ['https://edit.example/callback-fixed'],
      postLogoutRedirectUris: ['https://edit.example/signed-out'],
    });
    const details = await followed(agent, saved);
    expect(details.body).toContain('Changes saved.');
    expect(details.body).not.toContain('may take up to');
    // The notice is one of the portal's own texts, never words taken from the address.
    for (const notice of ['constructor', '__proto__', '<b>saved</b>']) {
      const page = await agent.request(`${portal}/clients?type=hybrid&notice=${encodeURIComponent(notice)}`);
      expect(page.body).not.toContain('class="notice"');
    }
  });

  it('[#portal-edit] refuses to edit or delete a client of another tenant, or one that does not exist', async () => {
    const agent = await signedInAdministrator();
    const page = await agent.request(`${portal}/clients?type=hybrid`);
    for (const id of [otherTenantClient.id, 'not-a-client']) {
      expect((await agent.request(`${portal}/clients/${id}/edit`)).response.status).toBe(404);
      const deleted = await agent.request(`${portal}/clients/${id}/delete`, {
        form: { _csrf: csrfOf(page) },
      });
      expect(deleted.response.status).toBe(404);
      expect(deleted.body).toContain('There is no client');
    }
    expect(idp.context.store.clients.get(otherTenantClient.id)?.deletedAt ?? null).toBeNull();
  });

  it('[#portal-edit] asks before deleting a client, then deletes it', async () => {
    const agent = await signedInAdministrator();
    const client = clientOf(carol.tenantId, 'Short-lived app');
    const details = await agent.request(`${portal}/clients?type=hybrid&selected=${client.id}`);
    expect(details.body).toContain(`dialog=delete-client`);
    expect(idp.context.store.clients.get(client.id)?.deletedAt ?? null).toBeNull();
    const confirm = await agent.request(
      `${portal}/clients?type=hybrid&selected=${client.id}&dialog=delete-client`,
    );
    expect(confirm.body).toContain('role="alertdialog"');
    expect(confirm.body).toContain('Delete <strong>Short-lived app</strong>?');
    const deleted = await followed(
      agent,
      await agent.request(`${portal}/clients/${client.id}/delete`, { form: { _csrf: csrfOf(confirm) } }),
    );
    expect(deleted.body).toContain('Client deleted.');
    expect(deleted.body).not.toContain('Short-lived app');
    expect(() => idp.context.administration.hybridClient(carol.tenantId, client.id)).toThrow();
  });

  it('[#portal-edit] asks before removing a secret', async () => {
    const agent = await signedInAdministrator();
    const client = clientOf(carol.tenantId, 'Secret app');
    const details = await agent.request(`${portal}/clients?type=hybrid&selected=${client.id}`);
    expect(details.body).not.toContain(`/secrets/1/remove`);
    const confirm = await agent.request(
      `${portal}/clients?type=hybrid&selected=${client.id}&dialog=remove-secret&secret=1`,
    );
    expect(confirm.body).toContain('Remove the secret <strong>only secret</strong>');
    expect(confirm.body).toContain(`action="/portal/clients/${client.id}/secrets/1/remove"`);
    expect(idp.context.store.clients.get(client.id)?.secrets).toHaveLength(1);
    const unknown = await agent.request(
      `${portal}/clients?type=hybrid&selected=${client.id}&dialog=remove-secret&secret=9`,
    );
    expect(unknown.body).not.toContain('Remove Secret');
    const removed = await followed(
      agent,
      await agent.request(`${portal}/clients/${client.id}/secrets/1/remove`, {
        form: { _csrf: csrfOf(confirm) },
      }),
    );
    expect(removed.body).toContain('Secret removed.');
    expect(idp.context.store.clients.get(client.id)?.secrets).toEqual([]);
  });

  it('[#portal-edit] shows a new secret to the portal session that created it, once', async () => {
    const agent = await signedInAdministrator();
    const other = await signedInAdministrator();
    const client = clientOf(carol.tenantId, 'Reveal app');
    const details = await agent.request(`${portal}/clients?type=hybrid&selected=${client.id}`);
    const answer = await agent.request(`${portal}/clients/${client.id}/secrets`, {
      form: { _csrf: csrfOf(details), secretDescription: 'second', neverExpires: 'on' },
    });
    const windowUrl = new URL(answer.response.headers.get('location') ?? '', portal).href;
    expect((await other.request(windowUrl)).body).not.toContain('Secret Successfully Created');
    expect((await agent.request(windowUrl)).body).toContain('Secret Successfully Created');
    expect((await agent.request(windowUrl)).body).not.toContain('Secret Successfully Created');
  });
});

describe('the propagation note', () => {
  it('[#client-change-delay] says changes may take time only when they do, with the configured delay', async () => {
    const delayed = await startTestIdp({ clientChangeDelaySeconds: 3600 });
    try {
      const agent = new UserAgent();
      await agent.request(`${delayed.origin}/portal/login`, {
        form: { email: carol.email, password: carol.password },
      });
      const client = clientOf(carol.tenantId, 'Delayed app', delayed);
      const details = await agent.request(
        `${delayed.origin}/portal/clients?type=hybrid&selected=${client.id}`,
      );
      expect(details.body).toContain(
        'Client modifications may take up to an hour before being visibly updated.',
      );
    } finally {
      await delayed.dispose();
    }
    const agent = await signedInAdministrator();
    const client = clientOf(carol.tenantId, 'Immediate app');
    const details = await agent.request(`${portal}/clients?type=hybrid&selected=${client.id}`);
    expect(details.body).not.toContain('may take up to');
  });
});

describe('the OSIsoft Cloud Services edition', () => {
  it('[#portal-ocs-edition] words the portal for OCS, opens Clients from the menu icon, and creates the client with its Id only', async () => {
    const ocs = await startTestIdp({ edition: 'ocs' });
    try {
      const agent = new UserAgent();
      await agent.request(`${ocs.origin}/portal/login`, {
        form: { email: carol.email, password: carol.password },
      });
      const list = await agent.request(`${ocs.origin}/portal/clients?type=hybrid`);
      expect(list.body).toContain('OSIsoft Cloud Services');
      expect(list.body).not.toContain('Data Hub');
      // The identity server's own pages name the same product.
      const home = await fetch(`${ocs.origin}/`).then((response) => response.text());
      expect(home).toContain('Mock OSIsoft Cloud Services identity server');
      expect(home).toContain('the menu icon, then Clients under Security');
      expect(list.body).toContain('aria-label="Menu"');
      expect(list.body).not.toContain('aria-label="Left pane"');

      const form = await agent.request(`${ocs.origin}/portal/clients/new`);
      expect(form.body).toContain('keep users logged in to OCS');
      expect(form.body).not.toContain('Avoid selecting this option');
      const before = ocs.context.administration.hybridClients(carol.tenantId).length;
      const answer = await agent.request(`${ocs.origin}/portal/clients/new`, {
        form: {
          _csrf: csrfOf(form),
          name: 'OCS app',
          redirectUris: 'https://ocs.example/callback',
          tokenLifetime: '3600',
          action: 'add',
        },
      });
      expect(answer.response.status).toBe(303);
      const created = await agent.request(
        new URL(answer.response.headers.get('location') ?? '', ocs.origin).href,
      );
      expect(created.body).toContain('Client Successfully Created');
      expect(created.body).toContain('id="createdClientId"');
      expect(created.body).not.toContain('Client Secret');
      expect(created.body).toContain('class="icon" data-copy="createdClientId"');
      expect(created.body.replaceAll('<wbr>', '')).toContain(
        'In OSIsoft Cloud Services: <code class="url">https://dat-b.osisoft.com/identity',
      );
      const clients = ocs.context.administration.hybridClients(carol.tenantId);
      expect(clients).toHaveLength(before + 1);
      expect(clients.at(-1)).toMatchObject({ name: 'OCS app', secrets: [] });
    } finally {
      await ocs.dispose();
    }
  });
});
