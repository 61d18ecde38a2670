/**
 * Where the app keeps its refresh token between runs, when asked to (--keep): a file only its owner can read or
 * write (0600, in a 0700 folder), replaced whole, never printed. A production app would use the operating system's
 * keychain (macOS Keychain, Windows Credential Manager, libsecret) rather than a file.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(kept), { mode: 0o600 });
  // The mode given at creation is narrowed by the umask, never widened; chmod makes it exactly owner-only.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export const forgetSignIn = (path: string) => rm(path, { force: true });
