// The line that tells blocks apart when they are collapsed or dragged: a block's first text as
// words. Its imports name their files, so the unit tests (Node's resolution) read it too.
import { blockTexts } from '../../bulletins/block-fields.js';
import { addressIn, type Block } from '../../bulletins/document.js';

/** The block's first text in `language` as one line of words (an image without alt text: its address). */
export function blockSummary(block: Block, language: string): string {
  const first = blockTexts(block).find((f) => f.text[language]?.trim());
  const line = first
    ? markdownLine(first.text[language]!)
    : block.type === 'image'
      ? addressIn(block.src, language, language)
      : '';
  return line.slice(0, 90);
}

/**
 * Markdown as one line of words, its marks left out: a link keeps its text; list, heading and quote
 * marks, emphasis, code marks and tags go; an escaped character stays. A hyphen or underscore
 * inside a word ("know-your-rights", "snake_case") is part of the word.
 */
export function markdownLine(markdown: string): string {
  return markdown
    .replace(/^ {0,3}(?:[-*_](?: *[-*_]){2,} *$|#{1,6}(?= |$)|(?:> ?)+|[-*+](?= )|\d{1,9}[.)](?= ))/gm, '')
    .replace(/!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/(?<!\\)(?:\*+|~~|`+)/g, '')
    .replace(/(?<![\p{L}\p{N}\\])_+|(?<!\\)_+(?![\p{L}\p{N}])/gu, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
