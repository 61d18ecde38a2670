/**
 * [#issuer-apart-from-authority] The Data Hub identity server's issuer may differ from its authority URL
 * (`{resource}/identity`): AVEVA's .NET hybrid sample turns issuer-name validation off, so no AVEVA source names
 * it. The mock can announce such an issuer (here https://identity.aveva.com, an illustration); the sample app signs in against it by
 * configuration alone (ISSUER_URL for where the server is, EXPECTED_ISSUER for what it announces), with every
 * signature and issuer check still on.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInForTokens } from '../../harness/hybrid-flow.ts';
import { appSettings, freePort, type RunningKit, signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice, tenant } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import { type RunningSampleApp, startSampleApp } from '../../sample-app/src/server.ts';

const announced = 'https://identity.aveva.com';
let kit: RunningKit;
beforeAll(async () => {
  kit = await startKit({ issuerUri: announced, authorizationResponseIss: true });
});
afterAll(() => kit.close());

describe('the mock announcing an issuer other than its URL', () => {
  it('[#issuer-apart-from-authority] names it in discovery, while the endpoints stay at the authority', async () => {
    const metadata = await (await fetch(`${kit.idp.authority}/.well-known/openid-configuration`)).json();
    expect(metadata.issuer).toBe(announced);
    expect(metadata.authorization_endpoint).toBe(`${kit.idp.authority}/connect/authorize`);
    expect(metadata.token_endpoint).toBe(`${kit.idp.authority}/connect/token`);
  });

  it('[#issuer-apart-from-authority] signs it into the front-channel response (iss, when set to send it), the id_token and the access token, which the API accepts', async () => {
    const { front, tokens } = await signInForTokens({ issuer: kit.idp.authority }, { client: kit.client });
    expect(front.fields.iss).toBe(announced);
    expect(decodeJwt(front.fields.id_token as string).iss).toBe(announced);
    expect(decodeJwt(tokens.id_token).iss).toBe(announced);
    expect(decodeJwt(tokens.access_token).iss).toBe(announced);
    const namespaces = `${kit.idp.origin}/api/v1/Tenants/${tenant.id}/Namespaces`;
    expect((await callApi(namespaces, tokens.access_token)).status).toBe(200);
  });
});

describe('the sample app against it', () => {
  /** Another instance of the sample app, on the same registered client, with other issuer settings. */
  async function appWith(
    env: Record<string, string | undefined>,
  ): Promise<{ app: RunningSampleApp; url: string }> {
    const port = await freePort();
    const { config } = loadConfig({
      ...appSettings(kit.idp, kit.client, port),
      SESSION_SECRET: 'a-session-secret-for-the-issuer-spec-only',
      // On its own port, behind the registered URL, as instances behind a balancer are.
      TRUST_PROXY: 'true',
      ...env,
    });
    return { app: await startSampleApp(config), url: `http://127.0.0.1:${port}` };
  }

  it('[#issuer-apart-from-authority] signs in with EXPECTED_ISSUER set, and calls the API', async () => {
    const agent = await signInThroughApp(kit.appUrl, alice);
    const profile = await agent.request(`${kit.appUrl}/profile`);
    expect(profile.response.status).toBe(200);
    expect(profile.body).toContain(announced);
    expect((await agent.request(`${kit.appUrl}/namespaces`)).body).toContain('production');
  });

  it('[#issuer-apart-from-authority] without EXPECTED_ISSUER, says the server announces another issuer and which setting to add', async () => {
    const { app, url } = await appWith({ EXPECTED_ISSUER: undefined });
    try {
      const login = await new UserAgent().request(`${url}/login`);
      expect(login.response.status).toBe(502);
      expect(login.body).toContain('announces another issuer');
      expect(login.body).toContain(`EXPECTED_ISSUER=${announced}`);
    } finally {
      await app.close();
    }
  });

  it('[#issuer-apart-from-authority] with a wrong EXPECTED_ISSUER, refuses to sign in against it', async () => {
    const { app, url } = await appWith({ EXPECTED_ISSUER: 'https://identity.example.org' });
    try {
      const login = await new UserAgent().request(`${url}/login`);
      expect(login.response.status).toBe(502);
      expect(login.body).toContain('https://identity.example.org');
    } finally {
      await app.close();
    }
  });
});
