/**
 * "Client modifications may take up to an hour before being visibly updated": with a propagation delay, a new
 * client, a changed redirect URL and a deleted client reach the identity server only when the delay is over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, redeemCode, signInForCode, tokenRequest } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { adminApi, adminToken } from '../support/admin-api.ts';

let idp: TestIdp;
let api: ReturnType<typeof adminApi>;
beforeAll(async () => {
  idp = await startTestIdp({ clientChangeDelaySeconds: 3600 });
  // A fresh token for every call: the specs move the clock by hours.
  api = adminApi(idp.origin, () => adminToken(idp));
});
afterAll(() => idp.dispose());

const authorizeStatus = async (id: string, redirectUri: string) =>
  (await new UserAgent().request(authorizationUrl(idp, { id, redirectUri }, { scope: 'openid' }))).response
    .status;

describe('client change delay', () => {
  it('[#client-change-delay] a new client signs in only once the delay is over', async () => {
    const { body } = await api('POST', '', { Name: 'Delayed', RedirectUris: ['https://d.example/cb'] });
    expect(await authorizeStatus(body.Client.Id, 'https://d.example/cb')).toBe(400);
    idp.clock.advance(3600);
    expect(await authorizeStatus(body.Client.Id, 'https://d.example/cb')).toBe(303);
  });

  it('[#client-change-delay] a changed redirect URL: the old one works, the new one does not, until the delay is over', async () => {
    const { body } = await api('POST', '', { Name: 'Changing', RedirectUris: ['https://old.example/cb'] });
    idp.clock.advance(3600);
    const updated = await api('PUT', `/${body.Client.Id}`, { RedirectUris: ['https://new.example/cb'] });
    expect(updated.body.RedirectUris).toEqual(['https://new.example/cb']);
    expect(await authorizeStatus(body.Client.Id, 'https://old.example/cb')).toBe(303);
    expect(await authorizeStatus(body.Client.Id, 'https://new.example/cb')).toBe(400);
    idp.clock.advance(3600);
    expect(await authorizeStatus(body.Client.Id, 'https://old.example/cb')).toBe(400);
    expect(await authorizeStatus(body.Client.Id, 'https://new.example/cb')).toBe(303);
  });

  it('[#client-change-delay] [#client-deletion] a deleted client keeps signing in and refreshing until the delay is over, then neither', async () => {
    const { body } = await api('POST', '', {
      Name: 'Leaving',
      RedirectUris: ['https://l.example/cb'],
      AllowOfflineAccess: true,
    });
    const client = {
      id: body.Client.Id as string,
      secret: body.Secret as string,
      redirectUri: 'https://l.example/cb',
      postLogoutRedirectUri: '',
    };
    idp.clock.advance(3600);
    const front = await signInForCode(idp, { client, params: { scope: 'openid ocsapi offline_access' } });
    const tokens = await redeemCode(idp, front, client);
    await api('DELETE', `/${client.id}`);
    expect(await authorizeStatus(client.id, client.redirectUri)).toBe(303);
    idp.clock.advance(3599);
    const refresh = (refreshToken: unknown) =>
      tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: refreshToken as string }, client);
    const refreshed = await refresh(tokens.body.refresh_token);
    expect(refreshed.status).toBe(200);
    idp.clock.advance(1);
    expect(await authorizeStatus(client.id, client.redirectUri)).toBe(400);
    expect(await refresh(refreshed.body.refresh_token)).toMatchObject({
      status: 400,
      body: { error: 'invalid_client' },
    });
  });
});
