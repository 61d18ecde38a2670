/**
 * Whole files written so that a crash mid-write leaves the previous contents intact: the new contents go to a
 * temporary file that is flushed to disk and then renamed over the old one.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeFileAtomically(path: string, contents: string, mode = 0o600): Promise<void> {
  await replaceAtomically(path, async (write) => void (await write(contents)), mode);
}

export async function replaceAtomically(
  path: string,
  fill: (write: (text: string) => Promise<number>) => Promise<void>,
  mode = 0o600,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w', mode);
    try {
      await fill(async (text) => {
        const bytes = Buffer.from(text, 'utf8');
        await handle.write(bytes);
        return bytes.length;
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // A half-written temporary file is no use to anyone: the previous contents stay in place.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Removes the temporary files a process that stopped mid-write left in a folder (one no other writer uses). */
export async function removeLeftTemporaries(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => /\.\d+\.tmp$/.test(name))
      // One that cannot go (not a file, say) stays: a start is never refused for it.
      .map((name) => rm(join(folder, name), { force: true }).catch(() => undefined)),
  );
}
