// The language of a public page: an explicit choice (?lang=), else what the link or the
// subscriber says, else the browser's Accept-Language, else the organisation's default; each
// the first that has words (src/words), with its base language's standing in (es-MX → es).
import type { Request } from 'express';
import { z } from 'zod';
import { normaliseLanguage } from '../audience/languages.js';
import { LanguageCode } from '../audience/schemas.js';
import { ownWordsLanguage, wordsLanguage, type WordsSource } from '../words/catalogue.js';

export const PAGE_LANGUAGES = ['en', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** A page language as a form or a request writes it ("ES", "Spanish", "español"), read as its code. */
export const PageLanguageChoice = LanguageCode.pipe(z.enum(PAGE_LANGUAGES));

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

/** Each page language in its own words. */
export const LANGUAGE_NAMES: Record<PageLanguage, string> = { en: 'English', es: 'Español' };
