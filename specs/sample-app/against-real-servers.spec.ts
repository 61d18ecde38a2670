/**
 * The sample app against real identity servers rather than the scripted fake: the bundled mock (which answers as
 * IdentityServer does) and node-oidc-provider (which follows RFC 6749 to the letter), so what the fake-based specs
 * assume is checked against servers that exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, postAppForm, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice, tenant } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import { type RunningSampleApp, startSampleApp } from '../../sample-app/src/server.ts';
import { type StandardsProvider, startStandardsProvider } from '../support/standards-provider.ts';

const credentialsPage = 'did not accept this app&#39;s credentials';

describe('a refused client secret, at the bundled mock (HTTP 400, no challenge)', () => {
  let kit: RunningKit;
  beforeAll(async () => {
    kit = await startKit({ env: { CLIENT_SECRET: 'not-the-registered-secret' } });
  });
  afterAll(() => kit.close());

  it('[#sample-invalid-client-page] shows the credentials page after the sign-in', async () => {
    const agent = new UserAgent();
    const login = await agent.request(`${kit.appUrl}/login`);
    const { response } = await agent.signIn(login.response.headers.get('location') as string, alice);
    const callback = await agent.request(`${kit.appUrl}/callback`, { form: response.fields });
    expect(callback.response.status).toBe(502);
    expect(callback.body).toContain(credentialsPage);
    expect(callback.body).toContain('CLIENT_SECRET');
  });
});

describe('a refused client secret, at node-oidc-provider (HTTP 401 with a challenge)', () => {
  let provider: StandardsProvider;
  let port: number;
  const client = () => ({
    id: 'standards-client',
    secret: 'the-registered-secret-of-the-standards-client',
    redirectUri: `http://localhost:${port}/callback`,
    postLogoutRedirectUri: `http://localhost:${port}/signed-out`,
  });
  beforeAll(async () => {
    port = await freePort();
    provider = await startStandardsProvider(client());
  });
  afterAll(() => provider.close());

  async function signInWithSecret(secret: string) {
    const { config } = loadConfig({
      ISSUER_URL: provider.issuer,
      CLIENT_ID: client().id,
      CLIENT_SECRET: secret,
      TENANT_ID: tenant.id,
      API_BASE_URL: provider.issuer,
      REDIRECT_URI: client().redirectUri,
      POST_LOGOUT_REDIRECT_URI: client().postLogoutRedirectUri,
      SCOPES: 'openid',
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: 'a-session-secret-for-the-standards-spec',
    });
    const app: RunningSampleApp = await startSampleApp(config);
    try {
      const agent = new UserAgent();
      const login = await agent.request(`http://localhost:${port}/login`);
      const fields = await provider.signIn(agent, login.response.headers.get('location') as string);
      return await agent.request(`http://localhost:${port}/callback`, { form: fields });
    } finally {
      await app.close();
    }
  }

  it('[#sample-invalid-client-page] answers a wrong secret with 401 and a Basic challenge (the premise)', async () => {
    const answer = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client().id}:wrong`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=authorization_code&code=x',
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('[#sample-invalid-client-page] signs in with the right secret', async () => {
    const callback = await signInWithSecret(client().secret);
    expect(callback.response.status).toBe(303);
  });

  it('[#sample-invalid-client-page] shows the same credentials page for a wrong secret', async () => {
    const callback = await signInWithSecret('not-the-registered-secret');
    expect(callback.response.status).toBe(502);
    expect(callback.body).toContain(credentialsPage);
  });
});

describe('sign-out at the bundled mock', () => {
  let kit: RunningKit;
  beforeAll(async () => {
    kit = await startKit();
  });
  afterAll(() => kit.close());

  it('[#sample-revokes-at-sign-out] revokes the refresh token: the mock holds none for the user afterwards, and the sign-out goes on', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    const { store } = kit.idp.context;
    const grantsOf = () => store.grants.values().filter((grant) => grant.userId === alice.id);
    const [grant] = grantsOf();
    expect(store.refreshTokens.values().some((token) => token.grantId === grant?.id)).toBe(true);

    const signOut = await postAppForm(agent, kit.appUrl, '/logout');
    expect(signOut.response.headers.get('location')).toContain('/connect/endsession');
    expect(grantsOf()).toEqual([]);
    expect(store.refreshTokens.values().some((token) => token.grantId === grant?.id)).toBe(false);
  });
});
