/**
 * The mock identity server for Playwright: one mock per worker (test controls on, a fresh state, a free port),
 * `signIn(page, user)` through its real login page, the test-control model as fixtures (`scenarios`, `users`,
 * `requests`, `clock`), and a signed-in storageState per user, made once per worker, as Playwright's
 * authentication guide recommends.
 *
 *   import { test, expect } from '@hybrid-client-kit/mock-idp/playwright';
 *   test('refuses a forged c_hash', async ({ page, mockIdp, scenarios, signIn }) => { ... });
 */
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { MockIdpControls } from '../controls/test-controls.ts';
import type { RunningMockIdp } from '../server.ts';
import { type MockIdpSetupOptions, startSeededMockIdp } from './seeded-mock.ts';

export interface SignInUser {
  email: string;
  password: string;
}

export interface MockIdpWorker extends RunningMockIdp {
  /** The seed's users with a password, first the one signIn uses by default. */
  seededUsers: SignInUser[];
}

export interface MockIdpWorkerFixtures {
  /** How the worker's mock starts: its seed (inline or a file), port, issuer name, edition. */
  mockIdpOptions: MockIdpSetupOptions;
  mockIdp: MockIdpWorker;
  /**
   * A storageState file of `user` signed in to the app whose sign-in starts at `signInUrl`: made once per worker,
   * then handed to `browser.newContext({ storageState })`.
   */
  storageStateFor: (signInUrl: string, user?: SignInUser) => Promise<string>;
}

export interface MockIdpTestFixtures {
  /** Scenarios of the worker's mock; every scenario a test set is cleared after it. */
  scenarios: MockIdpControls['scenarios'];
  users: MockIdpControls['users'];
  clients: MockIdpControls['clients'];
  requests: MockIdpControls['requests'];
  clock: MockIdpControls['clock'];
  /** On the mock's login page (the app sent the browser there): fills it in and waits until the browser leaves. */
  signIn: (page: Page, user?: SignInUser) => Promise<void>;
}

async function signInOnPage(page: Page, idp: MockIdpWorker, user: SignInUser | undefined): Promise<void> {
  const who = user ?? idp.seededUsers[0];
  if (!who) throw new Error('the seed has no user with a password: give signIn a user');
  await page.waitForURL((url) => url.origin === idp.origin && url.pathname.endsWith('/account/login'));
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.locator('#submit').click();
  await page.waitForURL((url) => url.origin !== idp.origin);
}

export const test = base.extend<MockIdpTestFixtures, MockIdpWorkerFixtures>({
  mockIdpOptions: [{}, { scope: 'worker', option: true }],
  mockIdp: [
    async ({ mockIdpOptions: options }, use) => {
      const { idp, seed, dispose } = await startSeededMockIdp(options);
      const seededUsers = seed.users.flatMap((user) =>
        user.password ? [{ email: user.email, password: user.password }] : [],
      );
      await use(Object.assign(idp, { seededUsers }));
      await dispose();
    },
    { scope: 'worker' },
  ],
  storageStateFor: [
    async ({ browser, mockIdp }, use, workerInfo) => {
      const made = new Map<string, Promise<string>>();
      await use((signInUrl, user) => {
        const who = user ?? mockIdp.seededUsers[0];
        const key = `${signInUrl} ${who?.email}`;
        let path = made.get(key);
        if (!path) {
          path = (async () => {
            const context = await browser.newContext();
            const page = await context.newPage();
            await page.goto(signInUrl);
            await signInOnPage(page, mockIdp, who);
            const file = join(
              workerInfo.project.outputDir,
              `.auth-${workerInfo.workerIndex}-${made.size}.json`,
            );
            await context.storageState({ path: file });
            await context.close();
            return file;
          })();
          made.set(key, path);
        }
        return path;
      });
    },
    { scope: 'worker' },
  ],
  scenarios: async ({ mockIdp }, use) => {
    const set: string[] = [];
    const { scenarios } = mockIdp.controls;
    await use({
      ...scenarios,
      set: async (request) => {
        const scenario = await scenarios.set(request);
        set.push(scenario.id);
        return scenario;
      },
    });
    for (const id of set) await scenarios.clear(id);
  },
  users: async ({ mockIdp }, use) => use(mockIdp.controls.users),
  clients: async ({ mockIdp }, use) => use(mockIdp.controls.clients),
  requests: async ({ mockIdp }, use) => use(mockIdp.controls.requests),
  clock: async ({ mockIdp }, use) => use(mockIdp.controls.clock),
  signIn: async ({ mockIdp }, use) => use((page, user) => signInOnPage(page, mockIdp, user)),
});

export { expect } from '@playwright/test';
