/**
 * The sample app's configuration: defaults that run against the bundled mock with no .env at all, one clear
 * message per problem, and the rules that keep a deployment safe.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import seed from '../../mock-idp/seed.json' with { type: 'json' };
import { ConfigError, loadConfig } from '../../sample-app/src/config.ts';
import { safeReturnTo } from '../../sample-app/src/web/return-to.ts';
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

  it('treats empty variables as unset', () => {
    expect(loadConfig({ CLIENT_ID: '', PORT: '' }).config).toMatchObject({
      port: 3000,
      clientId: seed.hybridClients[0]?.id,
    });
  });

  it('documents every variable it reads in .env.example', async () => {
    const example = await readFile(new URL('../../sample-app/.env.example', import.meta.url), 'utf8');
    const source = await readFile(new URL('../../sample-app/src/config.ts', import.meta.url), 'utf8');
    const variables = [...source.matchAll(/^\s{4}([A-Z_]+): /gm)].map((match) => match[1]);
    expect(variables.length).toBeGreaterThan(10);
    for (const variable of variables) expect(example).toMatch(new RegExp(`^#?\\s?${variable}=`, 'm'));
  });
});

describe('[#sample-return-to-local] returnTo', () => {
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
  ])('%j becomes %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it('returns, for any path with dot segments and separators, a path that stays on this origin', () => {
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
