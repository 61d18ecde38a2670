/**
 * Thousands of malformed, oversized and hostile requests at every endpoint of the mock identity server, built
 * from its own vocabulary (valid client ids, registered URIs, live tokens and cookies) mixed with attacks. Every
 * answer: no 5xx, no hang, no redirect or form_post to an unregistered URI, no secret or token in a page or log.
 */
// vitest: long-running
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, signInForCode, signInForTokens } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import {
  adminClient,
  alice,
  carol,
  offlineClient,
  onlineClient,
  otherTenantClient,
  tenant,
} from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { endpointPaths } from '../../mock-idp/src/index.ts';
import { adminToken } from '../support/admin-api.ts';
import {
  captureLogs,
  describeTally,
  type FuzzRequest,
  formPost,
  fuzzRequest,
  fuzzRuns,
  fuzzTimeLimit,
  getRequest,
  hostileRequestCount,
  isRegisteredTarget,
  problemsWith,
  rawGarbage,
  send,
  sendRaw,
  tally,
  type Vocabulary,
} from '../support/fuzz.ts';

const runs = hostileRequestCount;
let idp: TestIdp;
let vocabulary: Vocabulary;
let secrets: string[];
let entitledBy: ReadonlyMap<string, string>;
const logs = captureLogs();
const statuses = new Map<number, number>();

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

beforeAll(async () => {
  idp = await startTestIdp();
  const { tokens, front } = await signInForTokens(idp);
  const unredeemed = await signInForCode(idp);
  const admin = await adminToken(idp);
  const loginAgent = new UserAgent();
  const login = await loginAgent.navigate(authorizationUrl(idp, offlineClient));
  const ticket = UserAgent.form(login.body)?.fields.ticket ?? 'none';
  const portal = new UserAgent();
  const portalLogin = await portal.request(`${idp.origin}/portal/login`);
  await portal.request(`${idp.origin}/portal/login`, {
    form: { ...UserAgent.form(portalLogin.body)?.fields, email: carol.email, password: carol.password },
  });

  const clients = [offlineClient, onlineClient, otherTenantClient];
  const ssoCookie = unredeemed.agent.cookieHeader(idp.origin);
  const clientAuth = basic(offlineClient.id, offlineClient.secret);
  const authorizeParams = [
    ...new URL(
      authorizationUrl(idp, offlineClient, {
        code_challenge: unredeemed.verifier.slice(0, 43),
        code_challenge_method: 'S256',
      }),
    ).searchParams,
  ];
  const at = (path: string) => `${identityPath(idp)}${path}`;
  const templates: FuzzRequest[] = [
    getRequest(at(endpointPaths.authorize), authorizeParams, { cookie: ssoCookie }),
    formPost(at(endpointPaths.authorize), Object.fromEntries(authorizeParams), { cookie: ssoCookie }),
    formPost(
      at(endpointPaths.login),
      { ticket, email: alice.email, password: alice.password, action: 'login' },
      { cookie: loginAgent.cookieHeader(idp.origin) },
    ),
    formPost(
      at(endpointPaths.token),
      {
        grant_type: 'authorization_code',
        code: unredeemed.code,
        redirect_uri: offlineClient.redirectUri,
        code_verifier: unredeemed.verifier,
      },
      { authorization: clientAuth },
    ),
    formPost(
      at(endpointPaths.token),
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
      { authorization: clientAuth },
    ),
    formPost(
      at(endpointPaths.token),
      { grant_type: 'client_credentials' },
      { authorization: basic(adminClient.id, adminClient.secret) },
    ),
    formPost(
      at(endpointPaths.revocation),
      { token: tokens.access_token, token_type_hint: 'access_token' },
      { authorization: clientAuth },
    ),
    getRequest(at(endpointPaths.userinfo), [], { authorization: `Bearer ${tokens.access_token}` }),
    getRequest(
      at(endpointPaths.endSession),
      [
        ['id_token_hint', tokens.id_token],
        ['post_logout_redirect_uri', offlineClient.postLogoutRedirectUri],
        ['state', 'xyz'],
      ],
      { cookie: ssoCookie },
    ),
    {
      method: 'POST',
      path: `/api/v1/Tenants/${tenant.id}/HybridClients`,
      query: [],
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        Name: 'Fuzz',
        RedirectUris: ['https://fuzz.example/callback'],
        SecretDescription: 'fuzz',
      }),
    },
    getRequest(`/api/v1/Tenants/${tenant.id}/Namespaces`, [], {
      authorization: `Bearer ${tokens.access_token}`,
    }),
    formPost(
      '/portal/login',
      { email: carol.email, password: carol.password },
      { cookie: portal.cookieHeader(idp.origin), origin: idp.origin },
    ),
  ];
  const identity = identityPath(idp);
  // A refresh signs the family's access token again, which is the same JWT within the second it was issued.
  entitledBy = new Map([[tokens.access_token, tokens.refresh_token as string]]);
  secrets = [
    ...clients.map((client) => client.secret),
    offlineClient.secondSecret,
    adminClient.secret,
    alice.password,
    carol.password,
    tokens.access_token,
    tokens.refresh_token as string,
    admin,
    unredeemed.code,
  ];
  vocabulary = {
    paths: [
      ...Object.values(endpointPaths).map((path) => identity + path),
      `${identity}/assets/site.css`,
      `/api/v1/Tenants/${tenant.id}/Namespaces`,
      `/api/v1/Tenants/${tenant.id}/HybridClients`,
      `/api/v1/Tenants/${tenant.id}/HybridClients/${offlineClient.id}`,
      `/api/v1/Tenants/${tenant.id}/HybridClients/${offlineClient.id}/Secrets`,
      `/api/v1/Tenants/${tenant.id}/HybridClients/${offlineClient.id}/Secrets/1`,
      `/api/v1/Tenants/${tenant.id}/HybridClients/${offlineClient.id}/Secrets/1/remove`,
      '/portal',
      '/portal/login',
      '/portal/logout',
      '/portal/clients',
      '/portal/clients/new',
      `/portal/clients/${offlineClient.id}/secrets`,
      `/portal/clients/${offlineClient.id}/secrets/1/remove`,
      `/portal/clients/${offlineClient.id}/edit`,
      `/portal/clients/${offlineClient.id}/delete`,
      '/__mock__/clock',
      '/__mock__/keys/rotate',
      '/__mock__/memory',
      '/__mock__/openapi.json',
      '/__mock__/scenarios',
      '/__mock__/scenarios/catalogue',
      '/__mock__/scenarios/1',
      '/__mock__/requests',
      '/__mock__/users',
      '/__mock__/users/1/roles',
      `/__mock__/clients/${offlineClient.id}`,
      `/__mock__/clients/${offlineClient.id}/expire-secrets`,
      `/__mock__/clients/${offlineClient.id}/secrets/x`,
    ],
    parameterNames: [
      'client_id',
      'client_secret',
      'redirect_uri',
      'response_type',
      'response_mode',
      'scope',
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
      'prompt',
      'max_age',
      'acr_values',
      'login_hint',
      'request',
      'grant_type',
      'code',
      'code_verifier',
      'refresh_token',
      'token',
      'token_type_hint',
      'id_token_hint',
      'post_logout_redirect_uri',
      'ticket',
      'email',
      'password',
      'action',
      '_csrf',
      'seconds',
      'clientId',
      'times',
      'after',
      'endpoint',
      'skip',
      'count',
      'Name',
      'RedirectUris',
      'SecretDescription',
      'selected',
      'dialog',
      'notice',
      'reveal',
      'secret',
    ],
    knownValues: [
      ...clients.flatMap((client) => [
        client.id,
        client.secret,
        client.redirectUri,
        client.postLogoutRedirectUri,
      ]),
      'code id_token',
      'code',
      'id_token',
      'token',
      'form_post',
      'fragment',
      'query',
      'openid profile email ocsapi offline_access',
      'openid',
      'S256',
      'plain',
      'none',
      'login',
      `tenant:${tenant.id}`,
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'password',
      tokens.access_token,
      tokens.refresh_token as string,
      tokens.id_token,
      front.code,
      unredeemed.code,
      unredeemed.verifier,
      ticket,
      alice.email,
      alice.password,
      admin,
      '3600',
      '60',
      'delete-client',
      'remove-secret',
      'add-secret',
      'saved',
      'constructor',
      '__proto__',
      '59',
      '3601',
    ],
    cookies: [
      unredeemed.agent.cookieHeader(idp.origin),
      portal.cookieHeader(idp.origin),
      `mockidp_session=${'0'.repeat(43)}`,
    ],
    authorizations: [
      ...clients.map((client) => basic(client.id, client.secret)),
      basic(adminClient.id, adminClient.secret),
      `Bearer ${tokens.access_token}`,
      `Bearer ${admin}`,
    ],
    templates,
  };
});

afterAll(async () => {
  logs.restore();
  console.log(`fuzz: mock identity server, ${runs} hostile requests: ${describeTally(statuses)}`);
  await idp?.dispose();
});

const identityPath = (server: TestIdp) => new URL(server.issuer).pathname;

/** Codes handed out by the last request: each for a redirect URI its client registered. */
const seen = new Set<string>();
function unregisteredRedirectsInStore(): string[] {
  const { store } = idp.context;
  const registered = (clientId: string) => {
    const client = store.clients.get(clientId);
    return client && 'redirectUris' in client ? client.redirectUris : [];
  };
  const fresh = store.codes
    .values()
    .map((code) => ({ key: code.codeHash, ...code }))
    .filter((entry) => !seen.has(entry.key));
  for (const entry of fresh) seen.add(entry.key);
  return fresh
    .filter((entry) => !registered(entry.clientId).includes(entry.redirectUri))
    .map((entry) => `accepted ${entry.redirectUri} for ${entry.clientId}`);
}

/** The mock itself, and the redirect and logout URIs registered at the moment of the answer. */
function mayRedirectTo(target: URL): boolean {
  if (target.origin === idp.origin) return true;
  const registered = idp.context.store.clients
    .values()
    .flatMap((client) =>
      'redirectUris' in client ? [...client.redirectUris, ...client.postLogoutRedirectUris] : [],
    );
  return isRegisteredTarget(target, registered);
}

describe('fuzzing the mock identity server', () => {
  it(
    `answers ${runs} hostile requests at every endpoint with no 5xx, no hang, no open redirect and no leaked secret`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(vocabulary), async (request) => {
          const answer = await send(idp.origin, request);
          tally(statuses, answer.status);
          expect([
            ...problemsWith(request, answer, {
              mayRedirectTo,
              base: idp.origin,
              secrets: () => secrets,
              entitledBy,
            }),
            ...unregisteredRedirectsInStore(),
          ]).toEqual([]);
        }),
        fuzzRuns(runs),
      );
      const logged = logs.text();
      expect(secrets.filter((secret) => logged.includes(secret))).toEqual([]);
    },
    fuzzTimeLimit(runs, 30),
  );

  it(
    'answers bytes that are not HTTP with a 4xx or a closed connection, and keeps serving',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawGarbage(), async (bytes) => {
          const answer = await sendRaw(idp.origin, bytes);
          expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
        }),
        fuzzRuns(Math.ceil(runs / 20)),
      );
      expect((await fetch(`${idp.issuer}${endpointPaths.discovery}`)).status).toBe(200);
    },
    fuzzTimeLimit(runs / 20, 200),
  );
});
