// When each translation was last edited against which fallback text, read from versions
// (src/bulletins/translation-history.ts): blocks followed through moves and insertions, a history
// extended with new versions reading the same as one read whole.
import { describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { BulletinVersion } from '../../src/bulletins/schemas.js';
import {
  confirmationKey,
  extendHistory,
  outdatedTranslations,
  textSha256,
} from '../../src/bulletins/translation-history.js';
import { exampleBulletin } from '../helpers/bulletins.js';

const TEXT = 3;

/** Versions 1, 2, … of `documents`, a day apart from 1 December. */
const versionsOf = (documents: BulletinDocument[]): BulletinVersion[] =>
  documents.map((document, k) => ({
    version: k + 1,
    versionId: 100 + k,
    title: document.title,
    createdAt: new Date(Date.UTC(2026, 11, 1 + k)).toISOString(),
    savedBy: null,
    document,
  }));

function edit(doc: BulletinDocument, change: (copy: BulletinDocument) => void): BulletinDocument {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}
const body = (doc: BulletinDocument, at: number) => (doc.blocks[at] as { body: Record<string, string> }).body;

const outdated = (documents: BulletinDocument[], confirmations: string[] = []) =>
  outdatedTranslations({
    history: extendHistory(undefined, versionsOf(documents))!,
    ready: [],
    confirmations: new Set(confirmations),
  });

describe('outdated translations', () => {
  const v1 = exampleBulletin();
  const v2 = edit(v1, (d) => {
    body(d, TEXT).en = 'The English, rewritten.';
  });

  it('names the text, the language and when the fallback took its present value', () => {
    expect(outdated([v1])).toEqual([]);
    expect(outdated([v1, v2])).toEqual([
      {
        path: `blocks[${TEXT}].body`,
        field: 'body',
        block: TEXT,
        language: 'es',
        fallbackChangedAt: '2026-12-02T00:00:00.000Z',
      },
    ]);
  });

  it('follows the block when a block is inserted above it and when it moves to the end', () => {
    const inserted = edit(v2, (d) => d.blocks.unshift({ type: 'divider' }));
    const moved = edit(inserted, (d) => d.blocks.push(...d.blocks.splice(TEXT + 1, 1)));
    const last = moved.blocks.length - 1;
    expect(outdated([v1, v2, inserted]).map((o) => o.path)).toEqual([`blocks[${TEXT + 1}].body`]);
    expect(outdated([v1, v2, inserted, moved]).map((o) => o.path)).toEqual([`blocks[${last}].body`]);
    // Moved, then the Spanish edited: up to date.
    const spanish = edit(moved, (d) => {
      body(d, last).es = 'El español, reescrito.';
    });
    expect(outdated([v1, v2, inserted, moved, spanish])).toEqual([]);
  });

  it('holds a still-correct mark for its field, language and fallback text only', () => {
    const mark = confirmationKey('body', 'es', textSha256(body(v2, TEXT).en!));
    expect(outdated([v1, v2], [mark])).toEqual([]);
    expect(outdated([v1, v2], [confirmationKey('heading', 'es', textSha256(body(v2, TEXT).en!))])).toHaveLength(1);
    const v3 = edit(v2, (d) => {
      body(d, TEXT).en = 'The English, rewritten again.';
    });
    expect(outdated([v1, v2, v3], [mark])).toHaveLength(1);
  });

  it('reads the same when a history is extended one version at a time', () => {
    const documents = [v1, v2, edit(v2, (d) => d.blocks.reverse())];
    const versions = versionsOf(documents);
    const stepwise = versions.reduce(
      (history, version) => extendHistory(history, [version]),
      extendHistory(undefined, []),
    );
    const state = (history: typeof stepwise) => ({ history: history!, ready: [], confirmations: new Set<string>() });
    expect(outdatedTranslations(state(stepwise))).toEqual(outdated(documents));
    expect(outdated(documents)).toHaveLength(1);
  });
});
