// What every public page knows before it says anything: the organisation's settings, the
// reader's language and the words in it. Read once per request, by pageContext alone.
import type { Request } from 'express';
import { formattingLocale, type Settings } from '../settings/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { pageLanguage, type PageLanguage } from './language.js';
import { WORDS, type Words } from './words/index.js';

export interface PageContext {
  settings: Settings;
  lang: PageLanguage;
  words: Words;
  /** The locale the page's dates and numbers are written in: the settings' for its language. */
  locale: string;
  /** The page's own path: the language switch links to it in the other language. */
  path: string;
}

export interface ReaderLanguage {
  /** What the link or the subscriber's record says the reader reads; ?lang= still comes first. */
  known?: string;
  /**
   * The last resort, when neither ?lang=, `known` nor the browser names a page language; the
   * organisation's default language when left out. The pages behind a subscriber's own link
   * (preferences, unsubscribe) have always fallen back to English.
   */
  fallback?: PageLanguage;
}

export async function pageContext(
  settings: SettingsStore,
  req: Request,
  reader: ReaderLanguage = {},
): Promise<PageContext> {
  const current = await settings.get();
  const lang = pageLanguage(req, reader.known, reader.fallback ?? current.defaultLanguage);
  return { settings: current, lang, words: WORDS[lang], locale: formattingLocale(current, lang), path: req.path };
}
