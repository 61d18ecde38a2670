/**
 * The README is the front door and docs/ the guides: every relative link in them (and in the other Markdown a
 * reader opens) leads to a file of the repository, and a link to a heading leads to a heading that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../harness/processes.ts';

const pages = [
  'README.md',
  'ARCHITECTURE.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  'sample-app/README.md',
  'native-app/README.md',
  ...readdirSync(join(repositoryRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchorsIn(page: string): Set<string> {
  const text = readFileSync(join(repositoryRoot, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((match) => anchorOf(match[1] as string)));
}

function linksIn(page: string): string[] {
  const text = readFileSync(join(repositoryRoot, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('the documentation', () => {
  it('keeps the README a front door: about 150 lines at most', () => {
    expect(readFileSync(join(repositoryRoot, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(
      160,
    );
  });

  it.each(pages)('%s: every relative link resolves, headings included', (page) => {
    const broken: string[] = [];
    for (const target of linksIn(page)) {
      const [path = '', anchor] = target.split('#');
      const file = path
        ? join(dirname(join(repositoryRoot, page)), decodeURIComponent(path))
        : join(repositoryRoot, page);
      if (!existsSync(file)) broken.push(`${target} (no ${relative(repositoryRoot, file)})`);
      else if (
        anchor &&
        statSync(file).isFile() &&
        file.endsWith('.md') &&
        !anchorsIn(relative(repositoryRoot, file)).has(anchor)
      )
        broken.push(`${target} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });
});
