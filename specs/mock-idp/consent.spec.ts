/**
 * [#consent] The consent page, as IdentityServer4 4.x shows it: always for prompt=consent; for a client that
 * requires consent (MOCK_IDP_REQUIRE_CONSENT), on its first sign-in and on every one that asks for offline_access.
 * It names the client and shows its ClientUri and LogoUri ("used on consent screen"); Allow completes the sign-in,
 * Deny answers access_denied, and prompt=none answers consent_required when consent is still needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, tenant } from '../../harness/test-seed.ts';
import { type Hop, UserAgent } from '../../harness/user-agent.ts';
import { validSettings } from '../../mock-idp/src/domain/client-administration.ts';

const redirectUri = 'https://consent.example/callback';

function clientAt(idp: TestIdp) {
  const { client } = idp.context.administration.createHybridClient(
    tenant.id,
    validSettings({
      name: 'Consent Spec App',
      redirectUris: [redirectUri],
      clientUri: 'https://consent.example/about',
      logoUri: 'https://consent.example/logo.png',
      allowOfflineAccess: true,
    }),
    { description: 'spec', expiresAt: null },
  );
  return { id: client.id, redirectUri };
}

async function signInTo(agent: UserAgent, url: string): Promise<Hop> {
  const login = await agent.navigate(url);
  const form = UserAgent.form(login.body);
  if (!form || !login.body.includes('name="password"')) return login;
  return agent.navigate(new URL(form.action, login.url).href, {
    form: { ...form.fields, email: alice.email, password: alice.password, action: 'login' },
  });
}

async function answerConsent(agent: UserAgent, page: Hop, action: 'allow' | 'deny') {
  const form = UserAgent.form(page.body);
  if (!form) throw new Error(`no consent form: ${page.body.slice(0, 300)}`);
  return UserAgent.authorizationResponse(
    await agent.navigate(new URL(form.action, page.url).href, { form: { ...form.fields, action } }),
  );
}

const isConsentPage = (hop: Hop) => hop.body.includes('id="allow"');

describe('prompt=consent, with consent not required (IdentityServer4 default)', () => {
  let idp: TestIdp;
  let client: ReturnType<typeof clientAt>;
  beforeAll(async () => {
    idp = await startTestIdp();
    client = clientAt(idp);
  });
  afterAll(() => idp.dispose());

  it('[#consent] signs in without a consent page, then shows one for prompt=consent: name, ClientUri, LogoUri, scopes', async () => {
    const agent = new UserAgent();
    const first = await signInTo(agent, authorizationUrl(idp, client));
    expect(isConsentPage(first)).toBe(false);
    expect(UserAgent.authorizationResponse(first).fields.code).toBeTruthy();

    const page = await signInTo(agent, authorizationUrl(idp, client, { prompt: 'consent' }));
    expect(isConsentPage(page)).toBe(true);
    expect(page.body).toContain('Consent Spec App');
    expect(page.body).toContain('href="https://consent.example/about"');
    expect(page.body).toContain('src="https://consent.example/logo.png"');
    expect(page.body).toContain('data-scope="offline_access"');
    expect(page.response.headers.get('content-security-policy')).toContain('img-src');
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
    const allowed = await answerConsent(agent, page, 'allow');
    expect(allowed.action).toBe(redirectUri);
    expect(allowed.fields.code).toBeTruthy();
  });

  it('[#consent] answers access_denied to the app when the user denies', async () => {
    const agent = new UserAgent();
    await signInTo(agent, authorizationUrl(idp, client));
    const page = await signInTo(agent, authorizationUrl(idp, client, { prompt: 'consent', state: 'st' }));
    expect(await answerConsent(agent, page, 'deny')).toMatchObject({
      action: redirectUri,
      fields: { error: 'access_denied', state: 'st' },
    });
  });

  it('[#consent] does not take the same consent form twice', async () => {
    const agent = new UserAgent();
    await signInTo(agent, authorizationUrl(idp, client));
    const page = await signInTo(agent, authorizationUrl(idp, client, { prompt: 'consent' }));
    await answerConsent(agent, page, 'allow');
    const form = UserAgent.form(page.body);
    const again = await agent.navigate(new URL(form?.action ?? '', page.url).href, {
      form: { ...form?.fields, action: 'allow' },
    });
    expect(again.response.status).toBe(400);
    expect(again.body).toContain('expired');
  });
});

describe('with consent required (MOCK_IDP_REQUIRE_CONSENT=true)', () => {
  let idp: TestIdp;
  let client: ReturnType<typeof clientAt>;
  beforeAll(async () => {
    idp = await startTestIdp({ requireConsent: true });
    client = clientAt(idp);
  });
  afterAll(() => idp.dispose());

  it('[#consent] asks after the login page, once per client; again whenever offline_access is asked for; prompt=none then answers consent_required', async () => {
    const agent = new UserAgent();
    const online = { scope: 'openid profile ocsapi' };
    const first = await signInTo(agent, authorizationUrl(idp, client, online));
    expect(isConsentPage(first)).toBe(true);
    expect((await answerConsent(agent, first, 'allow')).fields.code).toBeTruthy();

    // Remembered: the next sign-in of this client, even with prompt=none, answers at once.
    const silent = await agent.navigate(authorizationUrl(idp, client, { ...online, prompt: 'none' }));
    expect(UserAgent.authorizationResponse(silent).fields.code).toBeTruthy();

    // offline_access always asks (IdentityServer4's DefaultConsentService), so prompt=none cannot answer it.
    const offlineSilent = await agent.navigate(authorizationUrl(idp, client, { prompt: 'none' }));
    expect(UserAgent.authorizationResponse(offlineSilent).fields.error).toBe('consent_required');
    const offline = await agent.navigate(authorizationUrl(idp, client));
    expect(isConsentPage(offline)).toBe(true);
  });
});
