/**
 * "Your app" for the examples: here the kit's sample app, started on a free port and registered at the mock as a
 * hybrid client of its own (redirect URLs on that port). In your project, start your own app the same way.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockIdpControls } from '@hybrid-client-kit/mock-idp/vitest';
import { createApp } from '../sample-app/src/app.ts';
import { loadConfig } from '../sample-app/src/config.ts';

export interface YourApp {
  url: string;
  clientId: string;
  close(): Promise<void>;
}

export async function startYourApp(
  idp: { issuer: string; origin: string },
  controls: MockIdpControls,
): Promise<YourApp> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const client = await controls.clients.create({
    name: 'Example app',
    redirectUris: [`${url}/callback`],
    postLogoutRedirectUris: [`${url}/signed-out`],
    allowOfflineAccess: true,
  });
  const { config } = loadConfig({
    ISSUER_URL: idp.issuer,
    CLIENT_ID: client.id,
    CLIENT_SECRET: client.secret,
    TENANT_ID: client.tenantId,
    API_BASE_URL: idp.origin,
    REDIRECT_URI: `${url}/callback`,
    POST_LOGOUT_REDIRECT_URI: `${url}/signed-out`,
    SESSION_SECRET: 'a-session-secret-for-the-examples-only',
    HTTP_TIMEOUT_SECONDS: '3',
  });
  server.on('request', createApp({ config }));
  return {
    url,
    clientId: client.id,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
