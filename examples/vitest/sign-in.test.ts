/** Your app's sign-in against the mock: it works, and it refuses what a forged response brings. */
import { signInOverHttp, useMockIdp } from '@hybrid-client-kit/mock-idp/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startYourApp, type YourApp } from '../your-app.ts';

const idp = useMockIdp();
const user = idp.users[0] as { email: string; password: string };
let app: YourApp;
beforeAll(async () => {
  app = await startYourApp(idp, idp.controls);
});
afterAll(() => app.close());

describe('your app against the mock', () => {
  it('signs a user in through the real login page', async () => {
    const { landed } = await signInOverHttp(`${app.url}/login`, user);
    expect(landed.response.status).toBe(200);
    expect(landed.body).toContain('Dana Demo');
  });

  it('refuses a forged c_hash, and never redeems the code', async () => {
    await idp.controls.scenarios.set({ clientId: app.clientId, name: 'invalid-chash' });
    const since = (await idp.controls.requests.list()).at(-1)?.seq ?? 0;
    const { callback, agent } = await signInOverHttp(`${app.url}/login`, user);
    expect(callback.response.status).toBe(400);
    expect((await agent.request(`${app.url}/profile`)).response.status).not.toBe(200);
    const redeemed = await idp.controls.requests.list({
      clientId: app.clientId,
      endpoint: 'token',
      after: since,
    });
    expect(redeemed).toEqual([]);
  });

  it('signs in a user created for this test, with the roles and claims it needs', async () => {
    const created = await idp.controls.users.create({
      email: 'per.test@example.com',
      password: 'per-test-password',
      name: 'Per Test',
      roles: ['Tenant Administrator'],
      claims: { department: 'Quality' },
    });
    const { landed } = await signInOverHttp(`${app.url}/login?returnTo=/profile`, {
      email: 'per.test@example.com',
      password: 'per-test-password',
    });
    expect(landed.body).toContain('Per Test');
    expect(landed.body).toContain('Tenant Administrator');
    await idp.controls.users.delete(created.id);
  });
});
