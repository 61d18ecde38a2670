/** A client made through the mock's test controls over HTTP, answered as the mock answered: its status, and its id. */
import { tenant } from '../../harness/test-seed.ts';

export async function createClientThroughControls(
  origin: string,
  name: string,
): Promise<{ status: number; id: string }> {
  const answer = await fetch(`${origin}/__mock__/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({
      name,
      redirectUris: [`https://${name.toLowerCase()}.example/cb`],
      tenantId: tenant.id,
    }),
  });
  return {
    status: answer.status,
    id: answer.status === 201 ? ((await answer.json()) as { id: string }).id : '',
  };
}
