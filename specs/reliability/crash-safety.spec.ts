/**
 * Crash safety of the mock's state: the mock runs as its own process under load (clients created through the
 * HybridClients API, hybrid logins handing out refresh tokens) and is killed with SIGKILL at random moments,
 * including while it starts and compacts its journal. Each restart must load the state, and everything the mock
 * acknowledged before the kill must still be there: every created client with its secret, every refresh token.
 */
// vitest: long-running
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInForTokens, tokenRequest } from '../../harness/hybrid-flow.ts';
import { type DataFolder, makeDataFolder } from '../../harness/mock-idp.ts';
import { startMockIdpProcess } from '../../harness/mock-idp-process.ts';
import { offlineClient } from '../../harness/test-seed.ts';
import { adminApi, adminToken } from '../support/admin-api.ts';

interface Acknowledged {
  clients: { id: string; secret: string }[];
  refreshTokens: string[];
}

let folder: DataFolder;
beforeAll(async () => {
  folder = await makeDataFolder();
});
afterAll(() => folder.remove());

/** Load until `stop` is set: two workers create clients, four sign in; only answers received count. */
function load(mock: { issuer: string; origin: string }, acknowledged: Acknowledged, stop: { now: boolean }) {
  const api = adminApi(mock.origin, () => adminToken(mock));
  const creator = async () => {
    while (!stop.now) {
      const created = await api('POST', '', {
        Name: 'Crash test client',
        RedirectUris: ['https://crash.example.com/callback'],
        SecretDescription: 'crash test',
      }).catch(() => null);
      if (created?.status === 201)
        acknowledged.clients.push({ id: created.body.Client.Id, secret: created.body.Secret });
    }
  };
  const signer = async () => {
    while (!stop.now) {
      const signedIn = await signInForTokens(mock).catch(() => null);
      if (signedIn?.tokens.refresh_token) acknowledged.refreshTokens.push(signedIn.tokens.refresh_token);
    }
  };
  return Promise.all([creator(), creator(), signer(), signer(), signer(), signer()]);
}

async function inBatches<T>(items: T[], check: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += 8)
    await Promise.all(items.slice(start, start + 8).map(check));
}

describe('crash mid-write', () => {
  it('never corrupts the state and never loses what was acknowledged, over repeated SIGKILLs', async () => {
    const acknowledged: Acknowledged = { clients: [], refreshTokens: [] };
    const killDelaysMs = [40, 700, 1500, 5, 1100, 300];
    for (const delay of killDelaysMs) {
      const mock = await startMockIdpProcess(folder);
      const stop = { now: false };
      const running = load(mock, acknowledged, stop);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * 200));
      await mock.kill();
      stop.now = true;
      await running;
    }
    expect(acknowledged.clients.length).toBeGreaterThan(5);
    expect(acknowledged.refreshTokens.length).toBeGreaterThan(5);

    const mock = await startMockIdpProcess(folder);
    try {
      const api = adminApi(mock.origin, () => adminToken(mock));
      // Checked eight at a time: hundreds of acknowledged records, each one request.
      await inBatches(acknowledged.clients, async (client) => {
        expect((await api('GET', `/${client.id}`)).status, `client ${client.id}`).toBe(200);
        // The secret still authenticates the client: a bad grant is refused as a grant, not as a client.
        const answer = await tokenRequest(
          mock,
          { grant_type: 'refresh_token', refresh_token: 'unknown' },
          client,
        );
        expect(answer.body.error, `secret of ${client.id}`).toBe('invalid_grant');
      });
      await inBatches(acknowledged.refreshTokens, async (refreshToken) => {
        const answer = await tokenRequest(
          mock,
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          offlineClient,
        );
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      });
    } finally {
      await mock.stop();
    }
  }, 120_000);
});
