/** Calls the HybridClients API as the seeded administration client would. */

import { tokenRequest } from '../../harness/hybrid-flow.ts';
import type { TestIdp } from '../../harness/mock-idp.ts';
import { adminClient, tenant } from '../../harness/test-seed.ts';

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the specs inspect JSON answers of many shapes.
  body: any;
  headers: Headers;
}

export async function adminToken(
  idp: Pick<TestIdp, 'issuer'>,
  client: { id: string; secret: string } = adminClient,
): Promise<string> {
  const response = await tokenRequest(idp, { grant_type: 'client_credentials' }, client);
  if (response.status !== 200) throw new Error(`no admin token: ${JSON.stringify(response.body)}`);
  return response.body.access_token as string;
}

/** `apiBase` is where /api/v1 answers: the mock's origin, or a Data Hub resource. */
export function adminApi(
  apiBase: string,
  token: () => string | undefined | Promise<string | undefined>,
  tenantId = tenant.id,
) {
  return async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const bearer = await token();
    const response = await fetch(`${apiBase}/api/v1/Tenants/${tenantId}/HybridClients${path}`, {
      method,
      headers: {
        ...(bearer && { authorization: `Bearer ${bearer}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
}
