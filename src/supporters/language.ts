// The language of a public page: an explicit choice (?lang=), else what the link or the
// subscriber says, else the browser's Accept-Language, else the organisation's default; each
// the first that has words (src/words), with its base language's standing in (es-MX → es).
import type { Request } from 'express';
import { normaliseLanguage } from '../audience/languages.js';
import { LanguageCode } from '../audience/schemas.js';
import { ownWordsLanguage, wordsLanguage, type WordsSource } from '../words/catalogue.js';

export const PAGE_LANGUAGES = ['en', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/**
 * The languages a reader may choose on a form: the organisation's (Settings), and the reader's own
 * when it is not among them, so that a reader of Portuguese keeps Portuguese by saving the page.
 */
export function offeredLanguages(organisation: readonly string[], own?: string): string[] {
  return own === undefined || organisation.includes(own) ? [...organisation] : [...organisation, own];
}

/** One of the `offered` languages, as a form writes it ("ES", "Spanish", "español"), read as its code. */
export const LanguageChoice = (offered: readonly string[]) =>
  LanguageCode.refine((code) => offered.includes(code), 'must be one of the languages offered');

/**
 * The language whose words the page shows, which its `lang` declares. A reader whose language
 * has no words, and whose browser names none that has, reads the organisation's default's.
 */
export function pageLanguage(req: Request, source: WordsSource, known?: string): string {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  for (const candidate of [asked, known, ...req.acceptsLanguages()]) {
    const found = candidate === undefined ? undefined : ownWordsLanguage(normaliseLanguage(candidate), source);
    if (found) return found;
  }
  return wordsLanguage(source.defaultLanguage, source);
}

/**
 * The languages a page can be read in, for its language switch: the organisation's that have
 * words (es-MX read as es), each once, and the page's own.
 */
export function readableLanguages(organisation: readonly string[], source: WordsSource, current: string): string[] {
  const readable = organisation.flatMap((language) => ownWordsLanguage(language, source) ?? []);
  return [...new Set([...readable, current])];
}
