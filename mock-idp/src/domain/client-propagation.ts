/**
 * How client changes reach the identity server. Data Hub warns that "client modifications may take up to an
 * hour before being visibly updated", and that a deleted client's refresh tokens are "valid up to one hour after
 * deletion": both are upper bounds. The mock applies one configurable delay to every change, deletion included
 * (default none: the strictest case, a deleted client's refresh tokens stop at once), so applications can test
 * either end.
 */
import type { Client } from './model.ts';

/** The version of a client in effect at `now`, or null when the client did not exist yet. */
export function versionInEffect(client: Client, now: number): Client | null {
  let version: Client | null | undefined = client;
  while (version && (version.effectiveFrom ?? 0) > now) version = version.previous;
  return version ?? null;
}

/** The client as the identity server sees it, or null when it may not be used (unknown, or its deletion in effect). */
export function usableClient(client: Client | undefined, now: number): Client | null {
  const version = client ? versionInEffect(client, now) : null;
  return version?.deletedAt ? null : version;
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

/** True when a deleted client can be forgotten: its deletion is in effect, so nothing can use it any more. */
export const isForgettable = (client: Client, now: number): boolean =>
  Boolean(client.deletedAt) && now >= (client.effectiveFrom ?? 0);
