/**
 * The kit's own seed (mock-idp/seed.json, what `npm start` and the mock's command start with) and the demo actors
 * the specs of those commands use: the sample app's demo client, the native demo client, the demo user.
 */
import seed from '../mock-idp/seed.json' with { type: 'json' };
import type { SeedFile } from '../mock-idp/src/index.ts';
import { authorizationUrl } from './hybrid-flow.ts';
import { UserAgent } from './user-agent.ts';

type SeedClient = (typeof seed.hybridClients)[number];

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`mock-idp/seed.json should declare ${what}`);
  return value;
}

/** The seed as the mock reads it (JSON imports widen the role names to strings). */
export const kitSeed = seed as SeedFile;
export const demoTenantId = required(seed.tenants[0], 'a tenant').id;
export const demoClient = required(seed.hybridClients[0], 'the sample app demo client');
export const nativeClient = required(
  seed.hybridClients.find((client) => client.name.includes('native')),
  'the native demo client',
);
export const demoUser = required(seed.users[0], 'a demo user');

/** The demo user signs in at `issuer` for the sample app's demo client: the form_post page the mock answers. */
export async function signInAsDemoUser(issuer: string) {
  const { response } = await new UserAgent().signIn(
    authorizationUrl({ issuer }, { id: demoClient.id, redirectUri: demoClient.redirectUris[0] as string }),
    demoUser,
  );
  return response;
}

/** The conformance command's required flags for a mock seeded with the kit's seed, the demo client as target. */
export const conformanceFlags = (issuer: string, client: SeedClient = demoClient, secret?: string) => [
  '--issuer',
  issuer,
  '--client-id',
  client.id,
  '--client-secret',
  secret ?? (client.secrets[0]?.value as string),
  '--redirect-uri',
  client.redirectUris[0] as string,
  '--post-logout-redirect-uri',
  client.postLogoutRedirectUris[0] as string,
  '--tenant-id',
  demoTenantId,
];

/** The flags that give the conformance command its test user: the demo user. */
export const demoUserFlags = ['--user-email', demoUser.email, '--user-password', demoUser.password];
