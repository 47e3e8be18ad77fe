// The language of a public page: an explicit choice (?lang=), else what the link or the
// subscriber says, else the browser's Accept-Language, else the organisation's default.
import type { Request } from 'express';
import { normaliseLanguage } from '../audience/languages.js';
import { LanguageCode } from '../audience/schemas.js';

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

export function pageLanguage(req: Request, known?: string, fallback = 'en'): PageLanguage {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  const candidates = [asked, known, ...req.acceptsLanguages(), fallback];
  for (const candidate of candidates) {
    const base = candidate === undefined ? undefined : normaliseLanguage(candidate).toLowerCase().split('-')[0];
    if (base && (PAGE_LANGUAGES as readonly string[]).includes(base)) return base as PageLanguage;
  }
  return 'en';
}

/** Each page language in its own words. */
export const LANGUAGE_NAMES: Record<PageLanguage, string> = { en: 'English', es: 'Español' };

/** The words of our own pages closest to a bulletin language: Spanish for es-*, else English. */
export function wordsLanguage(language: string): PageLanguage {
  const base = language.toLowerCase().split('-')[0];
  return PAGE_LANGUAGES.find((l) => l === base) ?? 'en';
}
