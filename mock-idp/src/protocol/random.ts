import { createHash, randomBytes } from 'node:crypto';

/** An unguessable handle (256 bits) for codes, refresh tokens and sessions. */
export const randomHandle = (): string => randomBytes(32).toString('base64url');

/** Codes and refresh tokens are looked up by hash, so a leaked state file does not leak usable handles. */
export const handleHash = (handle: string): string => createHash('sha256').update(handle).digest('base64url');
