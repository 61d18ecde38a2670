/**
 * The key that seals what the identity server hands the browser to carry (a sign-in in progress): 256 random bits
 * in the data folder, so a sign-in started before a restart can still be completed after it.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../plumbing/atomic-files.ts';

const keyLength = 32;

export async function loadOrCreateSealingKey(path: string | null): Promise<Uint8Array> {
  if (!path) return new Uint8Array(randomBytes(keyLength));
  try {
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
    if (key.length === keyLength) return new Uint8Array(key);
    throw new Error(`${path} does not hold a ${keyLength}-byte key: remove it, or reset the mock`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(keyLength);
  await writeFileAtomically(path, key.toString('base64url'));
  return new Uint8Array(key);
}
