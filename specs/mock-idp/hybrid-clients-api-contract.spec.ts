/**
 * The HybridClients API as any Data Hub (or the mock) serves it to a Tenant Administrator: create a client and
 * get its secret once, read and change it (PUT leaves absent properties alone), rotate secrets, delete it.
 * Runs against any target with the admin API prerequisite (specs/support/target.ts); the limits and the
 * authorization failures are in hybrid-clients-api.spec.ts, on the bundled mock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { adminApi, adminToken } from '../support/admin-api.ts';
import { need, useTarget } from '../support/target.ts';

const target = useTarget();
beforeEach((ctx) => need(ctx, target(), 'admin-api'));

const api = () => {
  const { admin, apiBase, tenantId } = target();
  return adminApi(apiBase, () => (admin ? adminToken(target(), admin) : undefined), tenantId);
};

describe('the HybridClients API contract', () => {
  it('[#admin-api] [#secret-shown-once] [#client-put] creates, reads, changes, rotates secrets of and deletes a hybrid client', async () => {
    const call = api();
    const before = Number((await call('HEAD', '')).headers.get('Total-Count'));

    const created = await call('POST', '', {
      Name: 'Conformance suite client',
      RedirectUris: ['https://conformance.example/callback'],
      PostLogoutRedirectUris: ['https://conformance.example/bye'],
      AccessTokenLifetime: 900,
      SecretDescription: 'conformance secret',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      Secret: expect.any(String),
      Id: expect.any(Number),
      Client: { Name: 'Conformance suite client' },
    });
    const id = created.body.Client.Id as string;
    try {
      expect(Number((await call('GET', '')).headers.get('Total-Count'))).toBe(before + 1);
      const read = await call('GET', `/${id}`);
      expect(read.body).toMatchObject({
        Id: id,
        AccessTokenLifetime: 900,
        RedirectUris: ['https://conformance.example/callback'],
      });
      expect(JSON.stringify(read.body)).not.toContain(created.body.Secret);

      const changed = await call('PUT', `/${id}`, { Name: 'Renamed by the suite' });
      expect(changed.body).toMatchObject({
        Name: 'Renamed by the suite',
        AccessTokenLifetime: 900,
        RedirectUris: ['https://conformance.example/callback'],
      });

      const added = await call('POST', `/${id}/Secrets`, { Description: 'second', Expires: false });
      expect(added.status).toBe(201);
      expect(added.body.Secret).toEqual(expect.any(String));
      const secrets = await call('GET', `/${id}/Secrets`);
      expect(secrets.body).toHaveLength(2);
      expect(JSON.stringify(secrets.body)).not.toContain(added.body.Secret);
      expect((await call('DELETE', `/${id}/Secrets/${created.body.Id}`)).status).toBe(204);
      expect((await call('GET', `/${id}/Secrets`)).body).toHaveLength(1);
    } finally {
      expect((await call('DELETE', `/${id}`)).status).toBe(204);
    }
    expect((await call('GET', `/${id}`)).status).toBe(404);
  });

  it('[#admin-api] [#token-lifetime-range] refuses a token lifetime outside 60..3600 with 400', async () => {
    const refused = await api()('POST', '', {
      Name: 'x',
      RedirectUris: ['https://conformance.example/cb'],
      AccessTokenLifetime: 30,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ OperationId: expect.any(String), Reason: expect.any(String) });
  });
});
