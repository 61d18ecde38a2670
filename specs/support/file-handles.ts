/** The methods every FileHandle of node:fs/promises shares: where a spec spies on, or breaks, the mock's disk I/O. */
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function fileHandlePrototype(folder: string): Promise<FileHandle> {
  const path = join(folder, 'probe');
  await writeFile(path, '');
  const handle = await open(path, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}
