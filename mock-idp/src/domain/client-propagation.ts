/**
 * How client changes reach the identity server. Data Hub warns that "client modifications may take up to an
 * hour before being visibly updated"; the mock applies a configurable delay (default none), so applications can
 * test for it. Deleting a client stops sign-ins once in effect, while its refresh tokens keep working for an hour.
 */
import type { Client } from './model.ts';

export const deletedClientRefreshWindowMs = 60 * 60 * 1000;

/** What the identity server does with the client: start a sign-in (authorize, code exchange) or refresh. */
export type ClientUse = 'sign-in' | 'refresh';

/** The version of a client in effect at `now`, or null when the client did not exist yet. */
export function versionInEffect(client: Client, now: number): Client | null {
  let version: Client | null | undefined = client;
  while (version && (version.effectiveFrom ?? 0) > now) version = version.previous;
  return version ?? null;
}

/** The client as the identity server sees it for a use, or null when it may not be used (unknown, deleted). */
export function usableClient(client: Client | undefined, now: number, use: ClientUse): Client | null {
  const version = client ? versionInEffect(client, now) : null;
  if (!version?.deletedAt) return version;
  const deletionInEffect = version.effectiveFrom ?? version.deletedAt;
  return use === 'refresh' && now < deletionInEffect + deletedClientRefreshWindowMs ? version : null;
}

/** The next version of a client, in effect after the delay; until then, the version in effect now. */
export function changedVersion(
  current: Client | undefined,
  next: Client,
  now: number,
  delayMs: number,
): Client {
  const inEffect = current ? versionInEffect(current, now) : null;
  return {
    ...next,
    effectiveFrom: now + delayMs,
    previous: inEffect && delayMs > 0 ? { ...inEffect, previous: null } : null,
  };
}

/** True when a deleted client can be forgotten: nothing can use it any more. */
export const isForgettable = (client: Client, now: number): boolean =>
  Boolean(client.deletedAt) && now >= (client.effectiveFrom ?? 0) + deletedClientRefreshWindowMs;
