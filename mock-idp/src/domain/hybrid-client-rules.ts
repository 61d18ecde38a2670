/**
 * The AVEVA Data Hub rules for hybrid clients ("Get started with hybrid clients" and the HybridClients API).
 * This file is the one place where the documented limits and defaults live.
 */
import { z } from 'zod';

/** "The default, 3600 seconds (one hour), is the maximum length of time. The minimum value is 60 seconds." */
export const accessTokenLifetime = { min: 60, max: 3600, default: 3600 } as const;

export const maxRedirectUris = 10;
export const maxPostLogoutRedirectUris = 10;
export const maxSecretsPerClient = 10;
/** "Currently there is a limit of 50000 clients (of all types) per tenant." (HybridClients reference page) */
export const maxClientsPerTenant = 50_000;

/** Authorization codes are single use and live five minutes. */
export const authorizationCodeLifetimeSeconds = 300;

/** "By default, the secret is set to expire one year after creation." */
export function defaultSecretExpiry(createdAt: number): number {
  const expiry = new Date(createdAt);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 1);
  return expiry.getTime();
}

const scriptingSchemes = new Set(['javascript:', 'data:', 'vbscript:', 'blob:', 'file:']);

/**
 * Why a redirect URI cannot be registered, or null when it can. "Wildcards are ignored. URIs must match exactly"
 * (HybridClients reference page): a `*` is accepted, and is just a character that the request must repeat.
 */
export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  // Any scheme a browser can be sent to: a native app registers its own (RFC 8252 7.1, com.example.app:/cb); AVEVA
  // restricts none. Never one that runs or inlines content where it lands.
  if (scriptingSchemes.has(url.protocol)) return `must not use ${url.protocol}`;
  if (value.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  return null;
}

const redirectUri = z.string().superRefine((value, ctx) => {
  const problem = redirectUriProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${value} ${problem}` });
});

export const redirectUriList = (max: number) =>
  z.array(redirectUri).max(max, `at most ${max} URLs are allowed`);

export const lifetimeSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(accessTokenLifetime.min, `must be at least ${accessTokenLifetime.min} seconds`)
  .max(accessTokenLifetime.max, `must be at most ${accessTokenLifetime.max} seconds`);

/** The exact-match rule: no normalisation, no prefix match, no case folding, no trailing slash forgiveness. */
export const isRegisteredUri = (registered: readonly string[], requested: string): boolean =>
  registered.includes(requested);

const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** The settings a hybrid client is created with (seed file, admin API, portal), with the documented defaults. */
export const hybridClientSettings = z.object({
  // Not required by the HybridClients reference (Name: Required false); the portal asks for one ("Get started").
  name: z.string().trim().max(200).default(''),
  enabled: z.boolean().default(true),
  redirectUris: redirectUriList(maxRedirectUris).min(1, 'at least one redirect URL is required'),
  postLogoutRedirectUris: redirectUriList(maxPostLogoutRedirectUris).default([]),
  // Shown as links on consent screens: http(s) only, never javascript: or data:.
  clientUri: webUrl.nullable().default(null),
  logoUri: webUrl.nullable().default(null),
  accessTokenLifetime: lifetimeSchema.default(accessTokenLifetime.default),
  allowOfflineAccess: z.boolean().default(false),
  allowAccessTokensViaBrowser: z.boolean().default(false),
  tags: z.array(z.string().max(100)).max(50).default([]),
});
export type HybridClientSettings = z.infer<typeof hybridClientSettings>;
