// The language of a public page: an explicit choice (?lang=), else what the link or the
// subscriber says, else the browser's Accept-Language, else the organisation's default.
import type { Request } from 'express';
import { z } from 'zod';
import { normaliseLanguage } from '../audience/languages.js';
import { LanguageCode } from '../audience/schemas.js';
import { escapeHtml } from '../render/html.js';
import { choice } from './page.js';

export const PAGE_LANGUAGES = ['en', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** A page language as a form or a request writes it ("ES", "Spanish", "español"), read as its code. */
export const PageLanguageChoice = LanguageCode.pipe(z.enum(PAGE_LANGUAGES));

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

/** "English · Español" links to the same page in the other language. */
export function languageSwitch(req: Request, current: PageLanguage): string {
  const names = LANGUAGE_NAMES;
  return `<nav aria-label="Language / Idioma"><p>${PAGE_LANGUAGES.map((lang) =>
    lang === current
      ? `<strong>${names[lang]}</strong>`
      : `<a href="${escapeHtml(req.path)}?lang=${lang}" lang="${lang}" hreflang="${lang}">${names[lang]}</a>`,
  ).join(' · ')}</p></nav>`;
}

/** The <option>s of a language choice, `selected` chosen. */
export function languageOptions(selected: string): string {
  return PAGE_LANGUAGES.map(
    (l) => `<option value="${l}" lang="${l}"${selected.startsWith(l) ? ' selected' : ''}>${LANGUAGE_NAMES[l]}</option>`,
  ).join('');
}

/** One checkbox per public topic, named and described in the page language. */
export function topicCheckboxes(
  topics: readonly { key: string; name: Record<string, string>; description: Record<string, string> }[],
  language: PageLanguage,
  checked: readonly string[],
): string {
  return topics
    .map((t) => {
      const name = t.name[language] ?? Object.values(t.name)[0] ?? t.key;
      const description = t.description[language] ?? '';
      return choice(
        { type: 'checkbox', name: 'topics', value: t.key, checked: checked.includes(t.key) },
        `<strong>${escapeHtml(name)}</strong>${description ? ` <span class="hint">${escapeHtml(description)}</span>` : ''}`,
      );
    })
    .join('\n');
}
