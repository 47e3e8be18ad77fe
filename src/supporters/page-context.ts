// What every public page knows before it says anything: the organisation's settings, the
// reader's language and the words in it (the shipped words with the organisation's own on top).
// Read once per request, by pageContext alone.
import type { Request } from 'express';
import { formattingLocale, type Settings } from '../settings/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { wordsFor, type Words } from '../words/catalogue.js';
import { pageLanguage, readableLanguages } from './language.js';

export interface PageContext {
  settings: Settings;
  /** The language of the page's words (a code with words: en, es, or one the organisation wrote). */
  lang: string;
  words: Words;
  /** The locale the page's dates and numbers are written in: the settings' for its language. */
  locale: string;
  /** The languages the page can be read in (readableLanguages): its language switch offers them. */
  languages: string[];
  /** The page's own path: the language switch links to it in the other languages. */
  path: string;
}

export interface ReaderLanguage {
  /** What the link or the subscriber's record says the reader reads; ?lang= still comes first. */
  known?: string | undefined;
}

export async function pageContext(
  settings: SettingsStore,
  req: Request,
  reader: ReaderLanguage = {},
): Promise<PageContext> {
  const current = await settings.get();
  const lang = pageLanguage(req, current, reader.known);
  return {
    settings: current,
    lang,
    words: wordsFor(lang, current),
    locale: formattingLocale(current, lang),
    languages: readableLanguages(current.languages, current, lang),
    path: req.path,
  };
}
