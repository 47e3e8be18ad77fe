// The layout docs/architecture.md describes, kept true: no two folders import each other (a file
// directly in src/ and each entry point count as folders of their own), nothing imports an entry
// point, and no line of code is longer than 120 characters (Biome formats to 120 but leaves long
// strings and comments alone).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CODE = /\.tsx?$/;

function files(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => CODE.test(name) && !name.includes('node_modules'))
    .map((name) => join(folder, name));
}

const SOURCES = ['src', 'workers', 'emails'].flatMap(files);
/** The processes' entry points: the top of the graph, where compose() is called. */
const ENTRY_POINTS = ['src/main', 'src/cli', 'src/render/render-cli', 'src/db/migrate-cli', 'workers/main'];

/** src/audience/rules.ts → src/audience; src/config.ts → src/config; workers/worker.ts → workers */
function folderOf(path: string): string {
  const module = path.replace(/\.(js|ts|tsx)$/, '');
  if (ENTRY_POINTS.includes(module)) return module;
  const parts = module.split('/');
  return parts[0] === 'src' ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Each folder's imports of other folders, by relative import specifiers. */
function folderImports(): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  for (const file of SOURCES) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier!));
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      imports.set(from, (imports.get(from) ?? new Set()).add(to));
    }
  }
  return imports;
}

describe('the layout', () => {
  it('has no two folders that import each other', () => {
    const imports = folderImports();
    const both = [...imports].flatMap(([from, targets]) =>
      [...targets].filter((to) => from < to && imports.get(to)?.has(from)).map((to) => `${from} ⇄ ${to}`),
    );
    expect(both).toEqual([]);
  });

  it('has nothing that imports an entry point', () => {
    const importers = [...folderImports()].filter(([, targets]) => ENTRY_POINTS.some((entry) => targets.has(entry)));
    expect(importers.map(([from]) => from)).toEqual([]);
  });

  it('finds the imports it checks (a folder that imports another)', () => {
    expect(folderImports().get('src/sending')).toContain('src/render');
  });

  it('has no line of code over 120 characters', () => {
    const long = [...SOURCES, ...['tests', 'bench'].flatMap(files)].flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > 120 ? [`${file}:${i + 1} (${line.length})`] : [])),
    );
    expect(long).toEqual([]);
  });
});
