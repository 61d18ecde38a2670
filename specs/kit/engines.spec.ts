/**
 * The kit declares the Node versions it runs on (package.json engines), and npm only warns when a dependency
 * wants a newer one. Every package each lockfile installs (the repository's, and the two samples', which travel
 * alone) must accept the oldest Node the kit declares.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../harness/processes.ts';

const readJson = async (path: string) => JSON.parse(await readFile(join(repositoryRoot, path), 'utf8'));

describe('the Node versions the kit declares', () => {
  it.each(['package.json', 'sample-app/package.json', 'native-app/package.json'])(
    '%s declares one, from 20.19',
    async (manifest) => {
      expect((await readJson(manifest)).engines.node).toBe('>=20.19');
    },
  );

  it.each(['package-lock.json', 'sample-app/package-lock.json', 'native-app/package-lock.json'])(
    'every package in %s runs on the oldest of them',
    async (lockfile) => {
      const oldest = minVersion((await readJson('package.json')).engines.node)?.version as string;
      const { packages } = (await readJson(lockfile)) as {
        packages: Record<string, { engines?: { node?: string } | string[] }>;
      };
      const refusing = Object.entries(packages)
        .map(([path, entry]) => ({
          path,
          node: Array.isArray(entry.engines) ? undefined : entry.engines?.node,
        }))
        .filter(({ path, node }) => path !== '' && node !== undefined && !satisfies(oldest, node))
        .map(({ path, node }) => `${path} wants node ${node}`);
      expect(refusing).toEqual([]);
    },
  );
});
