// The organisation's languages and the locales their numbers and dates are written in.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, formattingLocale, SettingsPatch } from '../../src/settings/settings.js';

/** The first issue of a refused patch, as "path: message". */
const refusal = (patch: unknown) => {
  const result = SettingsPatch.safeParse(patch);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  return `${issue!.path.join('.')}: ${issue!.message}`;
};

describe("the organisation's languages and locales", () => {
  it('are English and Spanish by default, with US numbers and dates for both', () => {
    expect(DEFAULT_SETTINGS.languages).toEqual(['en', 'es']);
    expect(formattingLocale(DEFAULT_SETTINGS, 'es')).toBe('es-US');
    expect(formattingLocale(DEFAULT_SETTINGS, 'en')).toBe('en-US');
  });

  it('formats a language without a locale with its own code', () => {
    expect(formattingLocale(DEFAULT_SETTINGS, 'ar')).toBe('ar');
    expect(formattingLocale(DEFAULT_SETTINGS, 'es-MX')).toBe('es-MX');
  });

  it('takes any BCP 47 codes, written as people write them, and keeps them as codes', () => {
    expect(SettingsPatch.parse({ languages: ['EN', 'Spanish', 'pt_br', 'ar', 'haw'] }).languages).toEqual([
      'en',
      'es',
      'pt-BR',
      'ar',
      'haw',
    ]);
  });

  it('refuses no language, a language named twice and what is no language, naming the entry', () => {
    expect(refusal({ languages: [] })).toBe('languages: must name at least one language');
    expect(refusal({ languages: ['en', 'es', 'ES'] })).toBe('languages.2: is named twice');
    expect(refusal({ languages: ['en', 'klingon!'] })).toMatch(/^languages\.1: must be a language code/);
  });

  it('keeps a locale as Intl spells it, its language as a code', () => {
    expect(SettingsPatch.parse({ locales: { ES: 'es-es', en: 'en-GB', ar: 'ar-EG' } }).locales).toEqual({
      es: 'es-ES',
      en: 'en-GB',
      ar: 'ar-EG',
    });
  });

  it('refuses a locale Intl does not accept, naming its language', () => {
    expect(refusal({ locales: { es: 'es_ES!' } })).toBe('locales.es: must be a locale such as en-US, es-US or es-ES');
    expect(refusal({ locales: { es: '' } })).toBe('locales.es: must be a locale such as en-US, es-US or es-ES');
    expect(refusal({ locales: { 'not a language': 'es-ES' } })).toMatch(/^locales\.not a language: must be a language/);
  });
});
