// What changed between two versions of a bulletin, as sentences staff read in the versions list:
// blocks added, removed and moved, fields edited per language, the bulletin's own settings. Pure
// and without Node imports: the staff app runs it too, to compare two versions side by side.
import { NAMED_LANGUAGES } from '../audience/languages.js';
import { describeRule } from '../audience/rule-sentence.js';
import { FIELD_LABELS } from './block-fields.js';
import type { Rule } from '../audience/rules.js';
import type { Block, BulletinDocument, Localised } from './document.js';
import type { VersionChange } from './schemas.js';

/** A change with the values it is about, for the side-by-side comparison. */
export interface DetailedChange extends VersionChange {
  before?: string;
  after?: string;
}

/** What changed from `before` to `after`: settings first, then the blocks in the newer order. */
export function diffDocuments(before: BulletinDocument, after: BulletinDocument): DetailedChange[] {
  // Texts are compared in the newer version's languages: a language removed is one change, not
  // one for each of its texts.
  const languages: Languages = { known: new Set([...after.languages, ...before.languages]), compared: after.languages };
  return [...settingChanges(before, after, languages), ...blockChanges(before, after, languages)];
}

/**
 * Which block of `before` became which of `after` (indexes), as the versions list reads them: the
 * translation checks follow a block's texts through moves and insertions with it.
 */
export function pairBlocks(before: BulletinDocument, after: BulletinDocument): { before: number; after: number }[] {
  const languages: Languages = { known: new Set([...after.languages, ...before.languages]), compared: after.languages };
  return matchBlocks(before.blocks, after.blocks, languages);
}

/** The languages either version has, to tell a translation's key from a field's, and those compared. */
interface Languages {
  known: Set<string>;
  compared: string[];
}

/** The language's English name, as the staff app shows it ("Spanish"), else its code. */
export function languageLabel(code: string): string {
  return NAMED_LANGUAGES.find((l) => l.code === code)?.english ?? code;
}

function settingChanges(before: BulletinDocument, after: BulletinDocument, languages: Languages): DetailedChange[] {
  const changes: DetailedChange[] = [];
  const setting = (field: string, text: string, values: { before?: string; after?: string } = {}) =>
    changes.push({ kind: 'setting', text, field, ...values });

  if (before.title !== after.title) setting('title', 'Edited title', { before: before.title, after: after.title });
  for (const code of after.languages.filter((l) => !before.languages.includes(l)))
    setting('languages', `Added the ${languageLabel(code)} language`);
  for (const code of before.languages.filter((l) => !after.languages.includes(l)))
    setting('languages', `Removed the ${languageLabel(code)} language`);
  const kept = after.languages.filter((l) => before.languages.includes(l));
  const keptBefore = before.languages.filter((l) => after.languages.includes(l));
  if (kept.join() !== keptBefore.join())
    setting(
      'languages',
      kept[0] === keptBefore[0] ? 'Reordered the languages' : `Made ${languageLabel(kept[0]!)} the first language`,
    );
  for (const field of ['subject', 'preheader'] as const) {
    for (const edit of localisedEdits(before[field], after[field], languages))
      changes.push({
        kind: 'setting',
        text: `Edited ${edit.language && `${languageLabel(edit.language)} `}${label(field)}`,
        field,
        ...edit,
      });
  }
  if (before.topic !== after.topic) {
    const text = !after.topic
      ? `Removed the topic “${before.topic}”`
      : before.topic
        ? `Changed the topic from “${before.topic}” to “${after.topic}”`
        : `Set the topic to “${after.topic}”`;
    setting('topic', text, { before: before.topic ?? '', after: after.topic ?? '' });
  }
  return changes;
}

/** The languages whose text differs; a missing translation and an empty one are the same. */
function localisedEdits(
  before: Localised | undefined,
  after: Localised | undefined,
  languages: Languages,
): { language: string; before: string; after: string }[] {
  return languages.compared
    .map((language) => ({ language, before: before?.[language] ?? '', after: after?.[language] ?? '' }))
    .filter((edit) => edit.before !== edit.after);
}

function blockChanges(before: BulletinDocument, after: BulletinDocument, languages: Languages): DetailedChange[] {
  const fallback = after.languages[0]!;
  const pairs = matchBlocks(before.blocks, after.blocks, languages);
  const moved = movedPairs(pairs);
  const changes: DetailedChange[] = [];
  const matchedBefore = new Set(pairs.map((p) => p.before));
  const pairByAfter = new Map(pairs.map((p) => [p.after, p]));
  for (const [i, block] of before.blocks.entries()) {
    if (!matchedBefore.has(i))
      changes.push({ kind: 'block_removed', text: `Removed ${blockName(block, fallback)}`, block: i + 1 });
  }
  for (const [j, block] of after.blocks.entries()) {
    const pair = pairByAfter.get(j);
    if (!pair) {
      changes.push({ kind: 'block_added', text: `Added ${blockName(block, fallback)}`, block: j + 1 });
      continue;
    }
    const direction = moved.get(pair);
    if (direction)
      changes.push({ kind: 'block_moved', text: `Moved ${blockName(block, fallback)} ${direction}`, block: j + 1 });
    if (!pair.same) changes.push(...fieldEdits(before.blocks[pair.before]!, block, languages, j + 1));
  }
  return changes;
}

interface Pair {
  before: number;
  after: number;
  /** The two blocks are identical: nothing in them to compare. */
  same?: boolean;
}

/**
 * Which block of the older version became which of the newer. Blocks carry no ids, so a block is
 * known by its content: identical blocks left in order pair first (the longest common run, so one
 * of several dividers removed is that one), then identical blocks that moved, nearest first, then
 * blocks of one type by how alike their fields are, a block in the same place between paired
 * neighbours counting as alike.
 */
function matchBlocks(before: Block[], after: Block[], languages: Languages): Pair[] {
  const keysBefore = before.map(canonical);
  const keysAfter = after.map(canonical);
  const pairs = commonRun(keysBefore, keysAfter);
  const pairedAfter = new Set(pairs.map((p) => p.after));
  const freeBefore = new Set(before.keys());
  for (const p of pairs) freeBefore.delete(p.before);
  for (const [j, key] of keysAfter.entries()) {
    if (pairedAfter.has(j)) continue;
    const same = [...freeBefore].filter((i) => keysBefore[i] === key).sort((a, b) => Math.abs(a - j) - Math.abs(b - j));
    if (same[0] === undefined) continue;
    pairs.push({ before: same[0], after: j, same: true });
    pairedAfter.add(j);
    freeBefore.delete(same[0]);
  }
  const slotBefore = (i: number) => Math.max(-1, ...pairs.filter((p) => p.before < i).map((p) => p.after));
  const slotAfter = (j: number) => Math.max(-1, ...pairs.filter((p) => p.after < j).map((p) => p.after));
  const freeAfter = [...after.keys()].filter((j) => !pairedAfter.has(j));
  const candidates = freeAfter
    .flatMap((j) =>
      [...freeBefore]
        .filter((i) => before[i]!.type === after[j]!.type)
        .map((i) => ({
          before: i,
          after: j,
          score:
            likeness(fieldValues(before[i]!, languages), fieldValues(after[j]!, languages)) +
            (slotBefore(i) === slotAfter(j) ? 0.5 : 0),
        })),
    )
    .filter((c) => c.score >= 0.5)
    .sort((a, b) => b.score - a.score || Math.abs(a.before - a.after) - Math.abs(b.before - b.after));
  for (const candidate of candidates) {
    if (!freeBefore.has(candidate.before) || pairedAfter.has(candidate.after)) continue;
    pairs.push({ before: candidate.before, after: candidate.after });
    pairedAfter.add(candidate.after);
    freeBefore.delete(candidate.before);
  }
  return pairs.sort((a, b) => a.after - b.after);
}

/**
 * The pairs whose order changed, and which way each went. The longest run of pairs still in their
 * old order stayed; the others moved ("Moved statement up" when one block passed its neighbour).
 */
function movedPairs(pairs: Pair[]): Map<Pair, 'up' | 'down'> {
  const stayed = new Set(longestIncreasingRun(pairs.map((p) => p.before)).map((k) => pairs[k]!));
  const rankBefore = new Map([...pairs].sort((a, b) => a.before - b.before).map((p, rank) => [p, rank]));
  const moved = new Map<Pair, 'up' | 'down'>();
  for (const [rankAfter, pair] of pairs.entries()) {
    if (!stayed.has(pair)) moved.set(pair, rankAfter < rankBefore.get(pair)! ? 'up' : 'down');
  }
  return moved;
}

/** The longest common subsequence of equal keys, as pairs of indexes. */
function commonRun(a: string[], b: string[]): Pair[] {
  // A save usually changes one block: the blocks before and after it are the same in both, and
  // belong to a longest run, so only the middle needs the quadratic table.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const pairs: Pair[] = [];
  for (let k = 0; k < start; k++) pairs.push({ before: k, after: k, same: true });
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  // lengths[i][j]: the longest common run of midA[i..] and midB[j..]
  const lengths = Array.from({ length: midA.length + 1 }, () => new Array<number>(midB.length + 1).fill(0));
  for (let i = midA.length - 1; i >= 0; i--)
    for (let j = midB.length - 1; j >= 0; j--)
      lengths[i]![j] =
        midA[i] === midB[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  for (let i = 0, j = 0; i < midA.length && j < midB.length; ) {
    if (midA[i] === midB[j]) pairs.push({ before: start + i++, after: start + j++, same: true });
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  for (let k = end; k > 0; k--) pairs.push({ before: a.length - k, after: b.length - k, same: true });
  return pairs;
}

/** Indexes into `values` of a longest strictly increasing subsequence (patience sorting). */
function longestIncreasingRun(values: number[]): number[] {
  const tails: number[] = [];
  const previous: number[] = [];
  for (const [k, value] of values.entries()) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    previous[k] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = k;
  }
  const run: number[] = [];
  for (let k = tails.at(-1) ?? -1; k >= 0; k = previous[k]!) run.unshift(k);
  return run;
}

function fieldEdits(before: Block, after: Block, languages: Languages, block: number): DetailedChange[] {
  const a = fieldValues(before, languages);
  const b = fieldValues(after, languages);
  const changes: DetailedChange[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const was = a.get(key);
    const is = b.get(key);
    // A block without an audience is shown to everyone: a change of audience reads from or to that.
    const none = key === 'audience' ? 'everyone' : '';
    const old = was?.values.join('\n') ?? none;
    const now = is?.values.join('\n') ?? none;
    if (old === now) continue;
    const { field, language } = (is ?? was)!;
    const whose = language ? `${languageLabel(language)} ` : '';
    changes.push({
      kind: 'block_edited',
      text: `Edited ${whose}${label(field)} of block ${block}`,
      block,
      field,
      ...(language ? { language } : {}),
      before: old,
      after: now,
    });
  }
  return changes;
}

interface FieldValue {
  field: string;
  language?: string;
  values: string[];
}

/**
 * The block's fields by path and language ("button.label" in "es"), whatever its type: a
 * translation is a key named for one of the languages (a text, an address or a list of hashtags of
 * its own), and a list (items, hashtags) is one field whose values are its entries in order.
 */
function fieldValues(block: Block, languages: Languages): Map<string, FieldValue> {
  const fields = new Map<string, FieldValue>();
  const visit = (value: unknown, path: string[], language?: string) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, path, language);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (path.length === 0 && key === 'type') continue;
        // The audience is one field, read in words: its rule's keys are no texts of their own.
        if (path.length === 0 && key === 'audience') {
          if (inner) fields.set(key, { field: key, values: [describeRule(inner as Rule)] });
          continue;
        }
        if ((typeof inner === 'string' || Array.isArray(inner)) && languages.known.has(key)) {
          if (languages.compared.includes(key)) visit(inner, path, key);
        } else visit(inner, [...path, key], language);
      }
    } else if (value !== undefined) {
      const field = path.join('.');
      const key = language ? `${field}|${language}` : field;
      const entry = fields.get(key) ?? { field, ...(language ? { language } : {}), values: [] };
      entry.values.push(String(value));
      fields.set(key, entry);
    }
  };
  visit(block, []);
  return fields;
}

/** How alike two blocks' fields are, 0 to 1: each field counts by the text its two values share at their ends. */
function likeness(a: Map<string, FieldValue>, b: Map<string, FieldValue>): number {
  const keys = new Set([...a.keys(), ...b.keys()]);
  if (keys.size === 0) return 1;
  let sum = 0;
  for (const key of keys) sum += textLikeness(a.get(key)?.values.join('\n') ?? '', b.get(key)?.values.join('\n') ?? '');
  return sum / keys.size;
}

function textLikeness(a: string, b: string): number {
  if (a === b) return 1;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a.at(-1 - end) === b.at(-1 - end)) end++;
  return (start + end) / Math.max(a.length, b.length);
}

/** The block as staff know it: its type and its heading (or alt text, or speaker), e.g. call to action “Sign”. */
function blockName(block: Block, language: string): string {
  const type = block.type.replaceAll('_', ' ');
  const named =
    ('heading' in block && block.heading) || ('alt' in block && block.alt) || ('quote' in block && block.quote);
  const text = (named ? (named[language] ?? Object.values(named).find((t) => t.trim())) : undefined)
    ?.replace(/\s+/g, ' ')
    .trim();
  if (!text) return type;
  return `${type} “${text.length > 60 ? `${text.slice(0, 59)}…` : text}”`;
}

/** "body" → "body", "button.label" → "button text": the editors' label, lower-cased to sit in a sentence. */
function label(field: string): string {
  const name = FIELD_LABELS[field] ?? field;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * A block's content as text, to find identical blocks quickly. Kept per block object, as a list of
 * versions compares each one twice. Two blocks alike but for their keys' order are not identical
 * here; they still pair by likeness, and fieldEdits finds nothing changed in them.
 */
const blockTexts = new WeakMap<Block, string>();
function canonical(block: Block): string {
  let text = blockTexts.get(block);
  if (text === undefined) {
    text = JSON.stringify(block);
    blockTexts.set(block, text);
  }
  return text;
}
