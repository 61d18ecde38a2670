/**
 * Where the app keeps its refresh token between runs, when asked to (--keep): a file only its owner can read or
 * write (0600, in a 0700 folder), replaced whole, never printed. A production app would use the operating system's
 * keychain (macOS Keychain, Windows Credential Manager, libsecret) rather than a file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KeptSignIn {
  refreshToken: string;
  idToken?: string;
  subject: string;
}

export async function readKeptSignIn(path: string): Promise<KeptSignIn | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as KeptSignIn;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(
      `the kept sign-in in ${path} cannot be read (${(error as Error).message}); --forget removes it`,
    );
  }
}

export async function keepSignIn(path: string, kept: KeptSignIn): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // mkdir leaves a folder that already exists as it was: owner-only whatever it was before.
  await chmod(folder, 0o700);
  // Created exclusively, under a name nobody can guess: never a file (or link) someone else put there first.
  const temporary = `${path}.${randomBytes(12).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    // The mode given at creation is narrowed by the umask, never widened; chmod makes it exactly owner-only.
    await file.chmod(0o600);
    await file.writeFile(JSON.stringify(kept));
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

export const forgetSignIn = (path: string) => rm(path, { force: true });
