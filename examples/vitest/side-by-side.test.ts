/**
 * Two apps (two clients) of one test run, signing in at the same moment while one of them has a scenario set: each
 * sees its own only. (The other file of this folder runs meanwhile in another worker, with scenarios of its own
 * client.)
 */
import { signInOverHttp, useMockIdp } from '@hybrid-client-kit/mock-idp/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startYourApp, type YourApp } from '../your-app.ts';

const idp = useMockIdp();
const user = idp.users[0] as { email: string; password: string };
let forged: YourApp;
let genuine: YourApp;
beforeAll(async () => {
  [forged, genuine] = await Promise.all([startYourApp(idp, idp.controls), startYourApp(idp, idp.controls)]);
});
afterAll(async () => {
  await idp.controls.scenarios.clearAll(forged.clientId);
  await Promise.all([forged.close(), genuine.close()]);
});

it("one client's scenarios never reach another client's sign-ins, even at the same moment", async () => {
  await idp.controls.scenarios.set({
    clientId: forged.clientId,
    name: 'nonce-invalid',
    times: 'until-cleared',
  });
  const rounds = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const [bad, good] = await Promise.all([
        signInOverHttp(`${forged.url}/login`, user),
        signInOverHttp(`${genuine.url}/login`, user),
      ]);
      return [bad.callback.response.status, good.landed.response.status];
    }),
  );
  expect(rounds).toEqual(Array.from({ length: 5 }, () => [400, 200]));
  expect(await idp.controls.scenarios.list(genuine.clientId)).toEqual([]);
  const forgedRequests = await idp.controls.requests.list({ clientId: forged.clientId, endpoint: 'token' });
  expect(forgedRequests).toEqual([]);
});
