// Two people saving one bulletin: a three-way merge of what each changed since the version both
// started from. Every text of every language is a field of its own, so a writer on the English and
// a translator on the Spanish never meet; blocks are followed through additions, removals and
// moves as the versions list pairs them. Pure and without Node imports: the staff app runs it.
import { FIELD_LABELS } from './block-fields.js';
import type { Block, BulletinDocument } from './document.js';
import { languageLabel, pairBlocks } from './version-diff.js';

/** A field both sides changed, each differently: someone has to choose. */
export interface MergeConflict {
  /** The field's path in the merged document: "subject.es", "blocks[2].heading.en"; "blocks[2]" is a whole block. */
  id: string;
  /** What staff call it: "Subject (Spanish)", "Block 3, announcement: Heading (English)". */
  label: string;
  /** Each side's value; undefined where that side removed it (a whole block, an optional field). */
  mine: unknown;
  theirs: unknown;
}

export interface Merge {
  /** Both sides' changes; where they conflict, the side that still has a value (mine when both do). */
  document: BulletinDocument;
  conflicts: MergeConflict[];
  /** Where each block of `document` came from: its index in mine, in theirs, or both. */
  blocks: { mine?: number; theirs?: number }[];
}

export type MergeChoice = 'mine' | 'theirs';

type Path = (string | number)[];

/** Merges `mine` and `theirs`, both made on `base`. */
export function mergeDocuments(base: BulletinDocument, mine: BulletinDocument, theirs: BulletinDocument): Merge {
  const languages = new Set([...base.languages, ...mine.languages, ...theirs.languages]);
  const conflicts: MergeConflict[] = [];
  const conflictIn =
    (block?: Block) =>
    (path: Path, mineValue: unknown, theirsValue: unknown): void => {
      conflicts.push({
        id: pathText(path),
        label: labelOf(path, languages, block),
        mine: mineValue,
        theirs: theirsValue,
      });
    };

  const { blocks: baseBlocks, ...baseRest } = base;
  const { blocks: mineBlocks, ...mineRest } = mine;
  const { blocks: theirsBlocks, ...theirsRest } = theirs;
  const rest = mergeValue(baseRest, mineRest, theirsRest, [], conflictIn()) as Omit<BulletinDocument, 'blocks'>;

  const toMine = new Map(pairBlocks(base, mine).map((p) => [p.before, p.after]));
  const toTheirs = new Map(pairBlocks(base, theirs).map((p) => [p.before, p.after]));
  const order = blockOrder(base, mine, theirs, toMine, toTheirs);
  const blocks: Block[] = [];
  const sources: Merge['blocks'] = [];
  for (const [at, entry] of order.entries()) {
    const m = entry.mine === undefined ? undefined : mineBlocks[entry.mine];
    const t = entry.theirs === undefined ? undefined : theirsBlocks[entry.theirs];
    const path = ['blocks', at];
    const conflict = conflictIn((m ?? t)!);
    if (entry.base !== undefined && (m === undefined || t === undefined)) conflict(path, m, t);
    blocks.push(
      entry.base === undefined || m === undefined || t === undefined
        ? (m ?? t)!
        : (mergeValue(baseBlocks[entry.base], m, t, path, conflict) as Block),
    );
    sources.push({
      ...(entry.mine !== undefined ? { mine: entry.mine } : {}),
      ...(entry.theirs !== undefined ? { theirs: entry.theirs } : {}),
    });
  }
  return { document: { ...rest, blocks }, conflicts, blocks: sources };
}

/** The merge with a side chosen for each conflict (mine where none is chosen). */
export function resolveMerge(merge: Merge, choices: Readonly<Record<string, MergeChoice>>): Omit<Merge, 'conflicts'> {
  let document: unknown = merge.document;
  const removed = new Set<number>();
  for (const c of merge.conflicts) {
    const value = choices[c.id] === 'theirs' ? c.theirs : c.mine;
    const path = parsePath(c.id);
    if (path.length === 2 && path[0] === 'blocks' && value === undefined) removed.add(path[1] as number);
    else document = setAt(document, path, value);
  }
  const keep = (_: unknown, i: number) => !removed.has(i);
  const doc = document as BulletinDocument;
  return { document: { ...doc, blocks: doc.blocks.filter(keep) }, blocks: merge.blocks.filter(keep) };
}

interface BlockEntry {
  base?: number;
  mine?: number;
  theirs?: number;
}

/**
 * The merged blocks in order: the order of the side that moved blocks (theirs when both or neither
 * did), with the other side's new blocks after the block they follow there. A block one side
 * removed goes unless the other side edited it; then it stays until someone chooses.
 */
function blockOrder(
  base: BulletinDocument,
  mine: BulletinDocument,
  theirs: BulletinDocument,
  toMine: Map<number, number>,
  toTheirs: Map<number, number>,
): BlockEntry[] {
  const entries = new Map<string, BlockEntry>();
  const entry = (id: string) => entries.get(id) ?? entries.set(id, {}).get(id)!;
  const sequence = (blocks: Block[], to: Map<number, number>, side: 'mine' | 'theirs') => {
    const fromBase = new Map([...to].map(([b, s]) => [s, b]));
    return blocks.map((_, i) => {
      const b = fromBase.get(i);
      const id = b === undefined ? `${side}:${i}` : `base:${b}`;
      Object.assign(entry(id), { [side]: i }, b === undefined ? {} : { base: b });
      return id;
    });
  };
  const mineIds = sequence(mine.blocks, toMine, 'mine');
  const theirsIds = sequence(theirs.blocks, toTheirs, 'theirs');
  const kept = (id: string) => {
    const { base: b, mine: m, theirs: t } = entries.get(id)!;
    if (b === undefined || (m !== undefined && t !== undefined)) return true;
    const other = m !== undefined ? mine.blocks[m] : t !== undefined ? theirs.blocks[t] : undefined;
    return other !== undefined && !same(other, base.blocks[b]);
  };
  const moved = (ids: string[]) => {
    const order = ids.map((id) => entries.get(id)!.base).filter((b) => b !== undefined);
    return order.some((b, k) => k > 0 && b < order[k - 1]!);
  };
  const [primary, secondary] = moved(mineIds) && !moved(theirsIds) ? [mineIds, theirsIds] : [theirsIds, mineIds];
  const order = primary.filter(kept);
  for (const [k, id] of secondary.entries()) {
    if (order.includes(id) || !kept(id)) continue;
    const anchor = secondary
      .slice(0, k)
      .reverse()
      .find((previous) => order.includes(previous));
    order.splice(anchor === undefined ? 0 : order.indexOf(anchor) + 1, 0, id);
  }
  return order.map((id) => entries.get(id)!);
}

/** Merges one value: a side's change wins over no change; objects merge key by key; anything else conflicts. */
function mergeValue(
  base: unknown,
  mine: unknown,
  theirs: unknown,
  path: Path,
  conflict: (path: Path, mine: unknown, theirs: unknown) => void,
): unknown {
  if (same(mine, theirs) || same(base, theirs)) return mine;
  if (same(base, mine)) return theirs;
  if (isRecord(mine) && isRecord(theirs) && !isAtomic(path)) {
    const was = isRecord(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
      const value = mergeValue(was[key], mine[key], theirs[key], [...path, key], conflict);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  conflict(path, mine, theirs);
  return mine ?? theirs;
}

/**
 * A block's audience is one rule, merged whole: key by key, one side's {"tag": …} beside the
 * other's {"language": …} would be a rule neither wrote, showing the block to other readers.
 */
function isAtomic(path: Path): boolean {
  return path.length === 3 && path[0] === 'blocks' && path[2] === 'audience';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep equality of JSON values, whatever the order of an object's keys. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => same(a[k], b[k]));
}

function setAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [key, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === key ? setAt(item, rest, next) : item));
  const record = isRecord(value) ? value : {};
  const inner = setAt(record[key as string], rest, next);
  const { [key as string]: _, ...others } = record;
  return inner === undefined ? others : { ...record, [key as string]: inner };
}

/** ["blocks", 2, "heading", "en"] → "blocks[2].heading.en", and back. */
function pathText(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${key}` : key)).join('');
}

function parsePath(text: string): Path {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** "Subject (Spanish)", "Block 3, call to action: Button text (English)", "Block 3, divider". */
function labelOf(path: Path, languages: Set<string>, block: Block | undefined): string {
  const last = path.at(-1);
  const language = typeof last === 'string' && languages.has(last) && path.length > 1 ? last : undefined;
  const inBlock = path[0] === 'blocks';
  const fieldPath = path.slice(inBlock ? 2 : 0, language ? -1 : undefined);
  const field = fieldPath.filter((key) => typeof key === 'string').join('.');
  const name = field ? `${FIELD_LABELS[field] ?? field}${language ? ` (${languageLabel(language)})` : ''}` : '';
  if (!inBlock) return name;
  const blockName = `Block ${(path[1] as number) + 1}, ${block!.type.replaceAll('_', ' ')}`;
  return name ? `${blockName}: ${name}` : blockName;
}
