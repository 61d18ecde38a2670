/**
 * Whole files written so that a crash mid-write leaves the previous contents intact: the new contents go to a
 * temporary file that is flushed to disk and then renamed over the old one.
 */
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

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
}
