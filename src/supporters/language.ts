// The language of a public page: an explicit choice (?lang=), else what the link or the
// subscriber says, else the browser's Accept-Language, else the organisation's default.
import type { Request } from 'express';
import { escapeHtml } from '../render/html.js';

export const PAGE_LANGUAGES = ['en', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export function pageLanguage(req: Request, known?: string, fallback = 'en'): PageLanguage {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  const candidates = [asked, known, ...req.acceptsLanguages(), fallback];
  for (const candidate of candidates) {
    const base = candidate?.toLowerCase().split('-')[0];
    if (base && (PAGE_LANGUAGES as readonly string[]).includes(base)) return base as PageLanguage;
  }
  return 'en';
}

/** "English · Español" links to the same page in the other language. */
export function languageSwitch(req: Request, current: PageLanguage): string {
  const names: Record<PageLanguage, string> = { en: 'English', es: 'Español' };
  return `<nav aria-label="Language / Idioma"><p>${PAGE_LANGUAGES.map((lang) =>
    lang === current ? `<strong>${names[lang]}</strong>` : `<a href="${escapeHtml(req.path)}?lang=${lang}" lang="${lang}" hreflang="${lang}">${names[lang]}</a>`,
  ).join(' · ')}</p></nav>`;
}
