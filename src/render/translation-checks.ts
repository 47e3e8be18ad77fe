// The pre-send checks on translations: one last edited before its fallback text changed
// (translation_outdated), and a language not marked ready (language_not_ready). Both warn; staff
// decide whether the translation still says the same.
import { languageName } from '../audience/languages.js';
import { FIELD_LABELS } from '../bulletins/block-fields.js';
import type { BulletinDocument } from '../bulletins/document.js';
import type { Finding } from '../bulletins/schemas.js';
import {
  type OutdatedTranslation,
  outdatedTranslations,
  type TranslationState,
} from '../bulletins/translation-history.js';

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function translationFindings(doc: BulletinDocument, state: TranslationState): Finding[] {
  const [fallback, ...others] = doc.languages;
  const outdated = outdatedTranslations(state).map(
    (text): Finding => ({
      level: 'warning',
      code: 'translation_outdated',
      message:
        `${where(text)}: ${languageName(text.language)} was translated before the ` +
        `${languageName(fallback!)} changed on ${DAY.format(new Date(text.fallbackChangedAt))}`,
      language: text.language,
      ...(text.block === undefined ? {} : { block: text.block }),
      field: text.path,
    }),
  );
  const notReady = others
    .filter((language) => !state.ready.includes(language))
    .map(
      (language): Finding => ({
        level: 'warning',
        code: 'language_not_ready',
        message: `${languageName(language)} is not marked ready: nobody has said its translation is done`,
        language,
      }),
    );
  return [...outdated, ...notReady];
}

/** "Block 3 body", "Block 2 list item 1", "Subject": the text as staff find it in the composer. */
function where({ field, block }: OutdatedTranslation): string {
  const item = /^items\[(\d+)\]$/.exec(field);
  const name = item ? `List item ${Number(item[1]) + 1}` : (FIELD_LABELS[field] ?? field);
  return block === undefined ? name : `Block ${block + 1} ${name.charAt(0).toLowerCase()}${name.slice(1)}`;
}
