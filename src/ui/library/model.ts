// The library as the staff app uses it: the server's types, the note an inserted block carries in
// the composer, and a library block fitted to the bulletin it goes into.
import { blockTexts } from '../../bulletins/block-fields';
import { blockSummary } from '../bulletins/block-summary';
import type { Block } from '../../bulletins/document';
import type { Author, LibraryBlock, Template, TemplateSummary } from '../../library/schemas';

export type { Author, LibraryBlock, Template, TemplateSummary };

const dayFormat = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short' });

/** "ana@example.org", or "the API token “CRM sync”". */
export const authorName = (author: Author) =>
  author.kind === 'staff' ? author.name : `the API token “${author.name}”`;

/**
 * Where an inserted block came from: "From the library: Petition 62,500, saved 4 Dec by ana@…".
 * Kept by the composer beside the block, never in the document: the bulletin holds a plain copy.
 */
export const originNote = (item: LibraryBlock) => {
  const saved = dayFormat.format(new Date(item.createdAt));
  return `From the library: ${item.name}, saved ${saved} by ${authorName(item.createdBy)}`;
};

/**
 * A copy of the library block for a bulletin in `languages`: its texts in the bulletin's languages
 * only, each one it lacks empty (a translation to write, which the checks point at).
 */
export function fittedBlock(block: Block, languages: readonly string[]): Block {
  const copy = structuredClone(block);
  for (const { text } of blockTexts(copy)) {
    for (const language of Object.keys(text)) if (!languages.includes(language)) delete text[language];
    for (const language of languages) text[language] ??= '';
  }
  return copy;
}

/**
 * The block's first words in `language`, else in the first language it has text in (it keeps the
 * languages of the bulletin it was saved from).
 */
export function librarySummary(block: Block, language?: string): string {
  const own = Object.keys(blockTexts(block)[0]?.text ?? {})[0];
  return (language && blockSummary(block, language)) || (own ? blockSummary(block, own) : '');
}
