/**
 * The sample app's configuration: defaults that run against the bundled mock with no .env at all, one clear
 * message per problem, and the rules that keep a deployment safe.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import seed from '../../mock-idp/seed.json' with { type: 'json' };
import { ConfigError, loadConfig } from '../../sample-app/src/config.ts';
import { safeReturnTo } from '../../sample-app/src/http/return-to.ts';
import { dotSegmentPath } from '../support/fuzz.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

/** A client of a real tenant, as its portal gives it. */
const ownClient = {
  CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001',
  CLIENT_SECRET: 'a-secret-from-the-portal',
  TENANT_ID: 'c0ffee00-0000-4000-8000-000000000002',
};

describe('configuration', () => {
  it("defaults to the mock identity server's seeded demo client", () => {
    const { config, warnings } = loadConfig({});
    const demo = seed.hybridClients[0];
    expect(config).toMatchObject({
      clientId: demo?.id,
      clientSecret: demo?.secrets[0]?.value,
      tenantId: seed.tenants[0]?.id,
      redirectUri: demo?.redirectUris[0],
      postLogoutRedirectUri: demo?.postLogoutRedirectUris[0],
      appOrigin: 'http://localhost:3000',
      callbackPath: '/callback',
      signedOutPath: '/signed-out',
      scopes: 'openid profile email ocsapi offline_access',
      secureCookies: false,
      port: 3000,
    });
    expect(config.issuer.href).toBe('http://127.0.0.1:4000/identity');
    expect(warnings).toEqual([expect.stringContaining('SESSION_SECRET')]);
  });

  it('reports every problem at once, naming the variable', () => {
    const problems = problemsOf({
      ISSUER_URL: 'not a url',
      TENANT_ID: 'tenant-1',
      PORT: 'eighty',
      SCOPES: 'profile ocsapi',
      SESSION_SECRET: 'short',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^ISSUER_URL: /),
      expect.stringMatching(/^TENANT_ID: .*GUID/),
      expect.stringMatching(/^SCOPES: must include openid/),
      expect.stringMatching(/^SESSION_SECRET: must be at least 32/),
      expect.stringMatching(/^PORT: /),
    ]);
  });

  it('[#sample-settings] checks the settings together even when one of them is wrong, in plain words', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        API_BASE_URL: 'http://api.example.com',
        TRUST_PROXY: 'yes',
        HTTP_TIMEOUT_SECONDS: '2.5',
        POST_LOGOUT_REDIRECT_URI: 'http://localhost:4999/signed-out',
      }),
    ).toEqual([
      'PORT: must be a port number from 0 to 65535',
      'TRUST_PROXY: must be true or false',
      'HTTP_TIMEOUT_SECONDS: must be a number of seconds from 1 to 120',
      expect.stringMatching(/^API_BASE_URL: must use https/),
      'POST_LOGOUT_REDIRECT_URI: must be on the same origin as REDIRECT_URI (http://localhost:3000): both are pages of this app',
    ]);
  });

  it("[#sample-settings] derives REDIRECT_URI and POST_LOGOUT_REDIRECT_URI from PORT, so a moved app's sign-in comes back to it", () => {
    expect(loadConfig({ PORT: '6003' }).config).toMatchObject({
      port: 6003,
      redirectUri: 'http://localhost:6003/callback',
      postLogoutRedirectUri: 'http://localhost:6003/signed-out',
      appOrigin: 'http://localhost:6003',
    });
    expect(loadConfig({ REDIRECT_URI: 'http://localhost:6004/auth/cb' }).config).toMatchObject({
      port: 6004,
      postLogoutRedirectUri: 'http://localhost:6004/signed-out',
    });
    expect(problemsOf({ PORT: '0' })).toEqual([
      expect.stringMatching(/^REDIRECT_URI: must be set when PORT is 0/),
    ]);
  });

  it('[#sample-settings] refuses a loopback REDIRECT_URI on another port than PORT, naming the URL to use', () => {
    expect(problemsOf({ PORT: '6003', REDIRECT_URI: 'http://localhost:3000/callback' })).toEqual([
      expect.stringContaining(
        'REDIRECT_URI: names port 3000, but the app listens on PORT=6003, so the identity server would send the ' +
          'sign-in to whatever runs on port 3000. Remove REDIRECT_URI and POST_LOGOUT_REDIRECT_URI (they then ' +
          'follow PORT: http://localhost:6003/callback)',
      ),
    ]);
    // A proxy on the registered port forwards to the app; and a URL that is not loopback is a proxy's by nature.
    expect(
      problemsOf({ PORT: '6003', REDIRECT_URI: 'http://localhost:3000/callback', TRUST_PROXY: 'true' }),
    ).toEqual([]);
    expect(
      problemsOf({
        PORT: '6003',
        REDIRECT_URI: 'https://app.example.com/callback',
        POST_LOGOUT_REDIRECT_URI: 'https://app.example.com/signed-out',
      }),
    ).toEqual([]);
  });

  it('[#sample-settings] refuses a blank setting instead of taking the demo value for it', () => {
    expect(problemsOf({ CLIENT_SECRET: '', PORT: ' ' })).toEqual([
      'CLIENT_SECRET: is empty; give it a value, or remove the line',
      'PORT: is empty; give it a value, or remove the line',
    ]);
  });

  it("[#sample-settings] takes the mock's demo client, secret, tenant and API only with a local identity server", () => {
    const tenant = {
      ...ownClient,
      ISSUER_URL: 'https://uswe.datahub.connect.aveva.com/identity',
      API_BASE_URL: 'https://uswe.datahub.connect.aveva.com',
    };
    expect(problemsOf(tenant)).toEqual([]);
    expect(problemsOf({ ISSUER_URL: tenant.ISSUER_URL })).toEqual(
      ['CLIENT_ID', 'CLIENT_SECRET', 'TENANT_ID', 'API_BASE_URL'].map((name) =>
        expect.stringMatching(new RegExp(`^${name}: must be set when ISSUER_URL is not a local mock: `)),
      ),
    );
    expect(
      problemsOf({
        ...tenant,
        CLIENT_ID: seed.hybridClients[0]?.id ?? '',
        CLIENT_SECRET: seed.hybridClients[0]?.secrets[0]?.value ?? '',
      }),
    ).toEqual([
      expect.stringMatching(
        /^CLIENT_ID: is the local mock's demo value, which https:\/\/uswe\.datahub\.connect\.aveva\.com\/identity does not know/,
      ),
      expect.stringMatching(/^CLIENT_SECRET: is the local mock's demo value/),
    ]);
  });

  it('requires SESSION_SECRET in production and with Redis', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET: is required/),
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET/),
    ]);
  });

  it('allows plain http only on localhost: codes, tokens and the secret travel to these URLs (RFC 9700)', () => {
    expect(
      problemsOf({
        ...ownClient,
        ISSUER_URL: 'http://idp.example.com/identity',
        API_BASE_URL: 'http://api.example.com',
        REDIRECT_URI: 'http://app.example.com/callback',
        POST_LOGOUT_REDIRECT_URI: 'http://app.example.com/signed-out',
      }),
    ).toEqual(
      ['ISSUER_URL', 'API_BASE_URL', 'REDIRECT_URI', 'POST_LOGOUT_REDIRECT_URI'].map((name) =>
        expect.stringMatching(new RegExp(`^${name}: must use https`)),
      ),
    );
    expect(
      problemsOf({ ISSUER_URL: 'http://[::1]:4000/identity', API_BASE_URL: 'http://127.0.0.1:4000' }),
    ).toEqual([]);
  });

  it('trusts X-Forwarded-* headers only when TRUST_PROXY says a proxy is in front (RFC 9700 §4.13)', () => {
    expect(loadConfig({}).config.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).config.trustProxy).toBe(true);
  });

  it('requires the logout URL to be a page of the same app as the redirect URL', () => {
    expect(problemsOf({ POST_LOGOUT_REDIRECT_URI: 'https://elsewhere.example/bye' })).toEqual([
      expect.stringMatching(/^POST_LOGOUT_REDIRECT_URI: must be on the same origin/),
    ]);
  });

  it('serves its pages at the paths of the configured URLs, and uses Secure cookies over https', () => {
    const { config } = loadConfig({
      REDIRECT_URI: 'https://app.example.com/auth/callback',
      POST_LOGOUT_REDIRECT_URI: 'https://app.example.com/auth/bye',
      SESSION_SECRET: 'x'.repeat(32),
    });
    expect(config).toMatchObject({
      callbackPath: '/auth/callback',
      signedOutPath: '/auth/bye',
      secureCookies: true,
    });
  });

  it('documents every variable it reads in .env.example', async () => {
    const example = await readFile(new URL('../../sample-app/.env.example', import.meta.url), 'utf8');
    const source = await readFile(new URL('../../sample-app/src/config.ts', import.meta.url), 'utf8');
    const variables = [...source.matchAll(/^\s{2}([A-Z_]+): /gm)].map((match) => match[1]);
    expect(variables.length).toBeGreaterThan(10);
    for (const variable of variables) expect(example).toMatch(new RegExp(`^#?\\s?${variable}=`, 'm'));
  });
});

describe('returnTo', () => {
  it.each([
    ['/profile', '/profile'],
    ['/namespaces?page=2', '/namespaces?page=2'],
    ['/a/../profile', '/profile'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/.//evil.example', '/'],
    ['/..//evil.example', '/'],
    ['/%2e%2e//evil.example', '/'],
    ['/%2E%2e//evil.example', '/'],
    ['/./\\evil.example', '/'],
    ['/a/..//evil.example?q', '/'],
    ['/\t/evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('[#sample-return-to-local] %j becomes %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it('[#sample-return-to-local] returns, for any path with dot segments and separators, a path that stays on this origin', () => {
    fc.assert(
      fc.property(fc.oneof(dotSegmentPath, fc.string()), (value) => {
        const result = safeReturnTo(value);
        expect(result).toMatch(/^\/(?![/\\])/);
        expect(new URL(result, 'http://app.invalid').origin).toBe('http://app.invalid');
      }),
      { numRuns: 2000 },
    );
  });
});
