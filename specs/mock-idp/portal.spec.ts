/**
 * The portal over HTTP: sign-in for Tenant Administrators only, forms protected from cross-site posts, the Add
 * Client steps with problems shown beside their field, the secret shown once, secrets removed and added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, carol, offlineClient } from '../../harness/test-seed.ts';
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
  return (form: Record<string, string | string[]>) =>
    agent.request(`${portal}/clients/new`, { form: { ...base, ...(form as Record<string, string>) } });
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

describe('[#portal-procedure] Add Client', () => {
  it('builds the URL lists with +, and says beside the field why a URL is refused', async () => {
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
    ['no name', { name: '' }, 'name', /Name a name is required/],
    [
      'no redirect URL',
      {},
      'redirectUris',
      /Allowed Redirect URL\(s\) at least one redirect URL is required/,
    ],
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

  it('asks for a secret, creates the client, and shows id and secret once', async () => {
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

    const created = await post({
      ...client,
      action: 'add-secret',
      secretDescription: 'first',
      neverExpires: 'on',
    });
    expect(created.body).toContain('Client Successfully Created');
    const clientId = /id="createdClientId" value="([^"]+)"/.exec(created.body)?.[1] as string;
    const secret = /id="createdClientSecret" value="([^"]+)"/.exec(created.body)?.[1] as string;
    const stored = idp.context.store.clients.get(clientId);
    expect(stored).toMatchObject({ name: 'Portal app', allowOfflineAccess: true, accessTokenLifetime: 3600 });
    expect(stored?.secrets[0]).toMatchObject({ description: 'first', expiresAt: null });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(created.response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('[#portal-procedure] [#secret-shown-once] Details pane', () => {
  it('removes a secret and adds a new one, shown once, with its expiry', async () => {
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

    const added = await agent.request(`${portal}/clients/${id}/secrets?type=hybrid&selected=${id}`, {
      form: { _csrf: csrfOf(details), secretDescription: 'replacement', secretExpiration: '2099-12-31' },
    });
    expect(added.body).toContain('Secret Successfully Created');
    const value = /id="newClientSecret" value="([^"]+)"/.exec(added.body)?.[1] as string;
    expect(value.length).toBeGreaterThanOrEqual(43);
    const again = await agent.request(`${portal}/clients?type=hybrid&selected=${id}`);
    expect(again.body).not.toContain(value);
    expect(again.body).toContain('2099-12-31');
  });
});
