// The README's and docs/' links to files: each names a file of this repository, so a fresh clone
// can follow it (a link out of the repository works only on the machine it was written on).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The targets of a page's Markdown links that are paths, not addresses or anchors of the page itself. */
function fileLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('links between the README and docs/', () => {
  it.each(PAGES)('%s links only to files inside the repository that exist', (page) => {
    for (const target of fileLinks(readFileSync(join(ROOT, page), 'utf8'))) {
      const path = resolve(ROOT, dirname(page), decodeURIComponent(target));
      expect(relative(ROOT, path).startsWith('..'), `${page} → ${target} leaves the repository`).toBe(false);
      expect(existsSync(path), `${page} → ${target} does not exist`).toBe(true);
    }
  });
});
