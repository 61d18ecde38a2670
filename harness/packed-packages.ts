/**
 * The kit's two packages as `npm pack` makes them, packed once per test run. Packing builds in place
 * (mock-idp/dist, conformance/suite), so two spec files packing side by side would tear each other's build: the
 * first spec file of a run packs into the run's folder, and the others wait for it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { compiledEntriesVariable, repositoryRoot } from './processes.ts';

const run = promisify(execFile);

export interface PackedPackage {
  /** The tarball's path. */
  path: string;
  /** Its file name, as npm names it: hybrid-client-kit-mock-idp-0.1.0.tgz. */
  filename: string;
  /** The files it holds, relative to the package. */
  files: string[];
}

export interface PackedKit {
  mockIdp: PackedPackage;
  conformance: PackedPackage;
}

async function pack(folder: string, destination: string): Promise<PackedPackage> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(repositoryRoot, folder),
    timeout: 120_000,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  return {
    path: join(destination, packed.filename),
    filename: packed.filename,
    files: packed.files.map((file) => file.path),
  };
}

const packBoth = async (destination: string): Promise<PackedKit> => ({
  mockIdp: await pack('mock-idp', destination),
  conformance: await pack('conformance', destination),
});

/** Both packages, packed for this test run (or, outside a run's global setup, now). */
export async function packedKit(): Promise<PackedKit> {
  const runFolder = process.env[compiledEntriesVariable];
  if (!runFolder) return packBoth(await mkdtemp(join(tmpdir(), 'kit-packed-')));
  const folder = join(runFolder, 'packed');
  const done = join(folder, 'packed.json');
  const failed = join(folder, 'failed.txt');
  // mkdir is atomic: whoever creates the folder packs.
  const packsHere = await mkdir(folder).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  if (packsHere) {
    try {
      const packed = await packBoth(folder);
      // Renamed into place, so a waiting spec file never reads half of it.
      await writeFile(`${done}.partial`, JSON.stringify(packed));
      await rename(`${done}.partial`, done);
      return packed;
    } catch (error) {
      await writeFile(failed, String(error));
      throw error;
    }
  }
  for (let waited = 0; waited < 300_000; waited += 250) {
    const packed = await readFile(done, 'utf8').catch(() => undefined);
    if (packed) return JSON.parse(packed) as PackedKit;
    const failure = await readFile(failed, 'utf8').catch(() => undefined);
    if (failure) throw new Error(`packing the kit failed in another spec file: ${failure}`);
    await sleep(250);
  }
  throw new Error(`the kit's packages were not packed within 300 s (${folder})`);
}
