/**
 * The Data Hub hybrid client model: the documented limits and defaults, checked on the domain module that the
 * seed file (and the administration API) go through.
 */
import { describe, expect, it } from 'vitest';
import { clientSecretMatches } from '../../mock-idp/src/domain/client-secrets.ts';
import { hybridClientSettings } from '../../mock-idp/src/domain/hybrid-client-rules.ts';
import {
  addSecret,
  ClientRuleError,
  createHybridClient,
  removeSecret,
} from '../../mock-idp/src/domain/hybrid-clients.ts';

const now = Date.UTC(2026, 10, 23, 12, 0, 0);
const valid = { name: 'My app', redirectUris: ['https://app.example.com/callback'] };
const problems = (input: unknown) => {
  const parsed = hybridClientSettings.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};
const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://app.example.com/cb${i}`);

describe('hybrid client settings', () => {
  it('[#token-lifetime-default] applies the documented defaults: token lifetime 3600, no refresh tokens, enabled, no logout URLs', () => {
    expect(hybridClientSettings.parse(valid)).toMatchObject({
      accessTokenLifetime: 3600,
      allowOfflineAccess: false,
      enabled: true,
      postLogoutRedirectUris: [],
    });
  });

  it.each([
    [60, true],
    [3600, true],
    [59, false],
    [3601, false],
    [0, false],
    [90.5, false],
  ])('[#token-lifetime-range] token lifetime %s is %s', (lifetime, ok) => {
    expect(problems({ ...valid, accessTokenLifetime: lifetime }).length === 0).toBe(ok);
  });

  it('[#redirect-uri-limits] needs 1 to 10 redirect URLs', () => {
    expect(problems({ ...valid, redirectUris: [] })).toEqual([
      expect.stringContaining('at least one redirect URL'),
    ]);
    expect(problems({ ...valid, redirectUris: urls(10) })).toEqual([]);
    expect(problems({ ...valid, redirectUris: urls(11) })).toEqual([expect.stringContaining('at most 10')]);
  });

  it('[#redirect-uri-limits] takes 0 to 10 logout redirect URLs', () => {
    expect(problems({ ...valid, postLogoutRedirectUris: urls(10) })).toEqual([]);
    expect(problems({ ...valid, postLogoutRedirectUris: urls(11) })).toEqual([
      expect.stringContaining('at most 10'),
    ]);
  });

  it.each([
    ['relative', '/callback', 'absolute URL'],
    ['a javascript: URL', 'javascript:alert(1)//', 'must not use javascript:'],
    ['a data: URL', 'data:text/html,hello', 'must not use data:'],
    ['a fragment', 'https://app.example.com/cb#x', 'fragment'],
    ['credentials', 'https://user:pw@app.example.com/cb', 'credentials'],
  ])('[#redirect-uri-limits] refuses a redirect URL that is %s', (_case, uri, message) => {
    expect(problems({ ...valid, redirectUris: [uri] })).toEqual([expect.stringContaining(message)]);
    expect(problems({ ...valid, postLogoutRedirectUris: [uri] })).toEqual([expect.stringContaining(message)]);
  });
});

describe('redirect URL schemes: the documents restrict none', () => {
  it.each([
    'com.example.app:/callback',
    'myapp://signin',
    'http://127.0.0.1:54567/signin-oidc',
    'ftp://app.example.com/cb',
  ])(
    '[#client-api-validation] accepts %s, as a native app registers its own scheme (RFC 8252 7.1)',
    (uri) => {
      expect(problems({ ...valid, redirectUris: [uri], postLogoutRedirectUris: [uri] })).toEqual([]);
    },
  );
});

describe('wildcards are ignored: a * is registered as it is', () => {
  it.each(['https://*.example.com/cb', 'https://app.example.com/*', 'https://app.example.com/cb?x=*'])(
    '[#redirect-uri-wildcard-literal] accepts %s as a redirect and a logout URL',
    (uri) => {
      expect(problems({ ...valid, redirectUris: [uri], postLogoutRedirectUris: [uri] })).toEqual([]);
    },
  );
});

describe('client secrets', () => {
  const { client, secretValue } = createHybridClient(
    hybridClientSettings.parse(valid),
    'tenant',
    { description: 'first' },
    now,
  );

  it('[#secret-shown-once] returns the value once and keeps only a hash', () => {
    expect(secretValue.length).toBeGreaterThanOrEqual(43);
    expect(JSON.stringify(client)).not.toContain(secretValue);
    expect(clientSecretMatches(client, secretValue, now)).toBe(true);
    expect(clientSecretMatches(client, `${secretValue}x`, now)).toBe(false);
  });

  it('[#secret-default-expiry] expires one year after creation by default', () => {
    expect(client.secrets[0]?.expiresAt).toBe(Date.UTC(2027, 10, 23, 12, 0, 0));
    expect(clientSecretMatches(client, secretValue, Date.UTC(2027, 10, 23, 11, 59, 59))).toBe(true);
    expect(clientSecretMatches(client, secretValue, Date.UTC(2027, 10, 23, 12, 0, 0))).toBe(false);
  });

  it('[#secret-never-expires] can never expire', () => {
    const never = addSecret(client, { description: 'forever', expiresAt: null }, now);
    expect(clientSecretMatches(never.client, never.secretValue, Date.UTC(2100, 0, 1))).toBe(true);
  });

  it('[#secret-rotation] allows several valid secrets at once, numbered 1, 2, 3', () => {
    const second = addSecret(client, { description: 'second' }, now);
    const third = addSecret(second.client, { description: 'third' }, now);
    expect(third.client.secrets.map((secret) => secret.id)).toEqual([1, 2, 3]);
    for (const value of [secretValue, second.secretValue, third.secretValue]) {
      expect(clientSecretMatches(third.client, value, now)).toBe(true);
    }
  });

  it('[#secret-rotation] allows at most 10 secrets', () => {
    let current = client;
    for (let i = 2; i <= 10; i += 1) current = addSecret(current, { description: `s${i}` }, now).client;
    expect(current.secrets).toHaveLength(10);
    expect(() => addSecret(current, { description: 'eleventh' }, now)).toThrow(ClientRuleError);
  });

  it('[#secret-deleted] [#secret-never-expires] a deleted secret no longer authenticates, including one that never expires', () => {
    const never = addSecret(client, { description: 'forever', expiresAt: null }, now);
    const removed = removeSecret(never.client, never.secret.id);
    expect(clientSecretMatches(removed, never.secretValue, now)).toBe(false);
    expect(clientSecretMatches(removed, secretValue, now)).toBe(true);
    expect(() => removeSecret(removed, 99)).toThrow(ClientRuleError);
  });
});
