// When each text of a bulletin took its present value, language by language, read from its saved
// versions: the pre-send check translation_outdated compares a translation's last edit with the
// fallback language's. Folded one version at a time, so a history already read needs only the
// versions saved since. A block is followed through moves and insertions as the versions list
// pairs blocks (version-diff.ts), so its texts keep their history wherever it goes.
import { createHash } from 'node:crypto';
import { blockTexts } from './block-fields.js';
import type { BulletinDocument, Localised } from './document.js';
import type { BulletinVersion } from './schemas.js';
import { pairBlocks } from './version-diff.js';

/** A text of the document: its path as findings name it, its name without the block's place, its block. */
export interface DocumentText {
  path: string;
  field: string;
  block?: number;
  text: Localised;
}

export function documentTexts(doc: BulletinDocument): DocumentText[] {
  const own = (field: 'subject' | 'preheader' | 'issueLine') => {
    const text = doc[field];
    return text ? [{ path: field, field, text }] : [];
  };
  return [
    ...own('subject'),
    ...own('preheader'),
    ...own('issueLine'),
    ...doc.blocks.flatMap((block, index) =>
      blockTexts(block).map(({ field, text }) => ({ path: `blocks[${index}].${field}`, field, block: index, text })),
    ),
  ];
}

/** The version in which a text took its present value. */
export interface TextChange {
  version: number;
  at: string;
  /** The field's texts in every language in that version: what a translation was made against. */
  against: Localised;
}

export interface TextHistory {
  /** The last version read, and its document. */
  version: number;
  document: BulletinDocument;
  /** For each text of `document` by path, each language's last change. */
  changes: Map<string, Map<string, TextChange>>;
}

/** `history` (undefined before version 1) carried through `versions`, oldest first; never changed in place. */
export function extendHistory(history: TextHistory | undefined, versions: BulletinVersion[]): TextHistory | undefined {
  return versions.reduce(nextVersion, history);
}

function nextVersion(previous: TextHistory | undefined, version: BulletinVersion): TextHistory {
  const { document } = version;
  const earlierBlock = new Map(previous ? pairBlocks(previous.document, document).map((p) => [p.after, p.before]) : []);
  const earlierTexts = new Map(previous ? documentTexts(previous.document).map((t) => [t.path, t]) : []);
  const changes = new Map<string, Map<string, TextChange>>();
  for (const { path, field, block, text } of documentTexts(document)) {
    // A block that pairs with none of the version before is new: all its texts changed now.
    const before = block === undefined ? block : earlierBlock.get(block);
    const was = block === undefined ? path : before === undefined ? undefined : `blocks[${before}].${field}`;
    const earlier = was === undefined ? undefined : earlierTexts.get(was);
    const languages = new Map<string, TextChange>();
    for (const language of document.languages) {
      const same = earlier && (earlier.text[language] ?? '') === (text[language] ?? '');
      const kept = same ? previous?.changes.get(was!)?.get(language) : undefined;
      languages.set(language, kept ?? { version: version.version, at: version.createdAt, against: text });
    }
    changes.set(path, languages);
  }
  return { version: version.version, document, changes };
}

/**
 * A translation whose fallback text is no longer the one it was last edited against, and not
 * confirmed since. A fallback text changed and changed back is the one it was made against.
 */
export interface OutdatedTranslation extends Omit<DocumentText, 'text'> {
  language: string;
  /** When the fallback language's text took its present value. */
  fallbackChangedAt: string;
}

/** What staff said about a bulletin's translations, with its history: what the checks read. */
export interface TranslationState {
  history: TextHistory;
  /** Languages marked ready to send. */
  ready: readonly string[];
  /** confirmationKey()s of the translations marked still correct. */
  confirmations: ReadonlySet<string>;
}

export function outdatedTranslations({ history, confirmations }: TranslationState): OutdatedTranslation[] {
  const { document } = history;
  const [fallback, ...others] = document.languages;
  const outdated: OutdatedTranslation[] = [];
  for (const { text, ...where } of documentTexts(document)) {
    const reference = text[fallback!] ?? '';
    // An empty text on either side is the untranslated check's to report.
    if (!reference.trim()) continue;
    const changes = history.changes.get(where.path)!;
    for (const language of others) {
      if (!text[language]?.trim()) continue;
      const against = changes.get(language)!.against[fallback!] ?? '';
      // A translation written while the fallback text was empty was not made from it.
      if (!against.trim() || against === reference) continue;
      if (confirmations.has(confirmationKey(where.field, language, textSha256(reference)))) continue;
      outdated.push({ ...where, language, fallbackChangedAt: changes.get(fallback!)!.at });
    }
  }
  return outdated;
}

/** A confirmation holds for the field's name (wherever its block moved), the language and one fallback text. */
export function confirmationKey(field: string, language: string, fallbackSha256: string): string {
  return `${field}\n${language}\n${fallbackSha256}`;
}

export function textSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
