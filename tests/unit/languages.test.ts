import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { byLanguage, LanguageCode } from '../../src/audience/schemas.js';
import { languageChoices, languageName, NAMED_LANGUAGES, normaliseLanguage } from '../../src/audience/languages.js';

describe('language codes and names', () => {
  it('writes a code as BCP 47 does, whatever case or separator it came in', () => {
    const cases: [string, string][] = [
      ['ES', 'es'],
      ['Es', 'es'],
      [' es ', 'es'],
      ['pt-br', 'pt-BR'],
      ['PT_BR', 'pt-BR'],
      ['pt-BR', 'pt-BR'],
      ['zh-hant', 'zh-Hant'],
      ['ES-419', 'es-419'],
      ['haw', 'haw'],
    ];
    for (const [written, code] of cases) expect(normaliseLanguage(written), written).toBe(code);
  });

  it('reads the English and the native name of each language the staff app names, case and accents aside', () => {
    for (const { code, english, native } of NAMED_LANGUAGES) {
      for (const name of [english, native, english.toUpperCase(), native.toLowerCase()])
        expect(normaliseLanguage(name), name).toBe(code);
    }
    expect(
      ['Spanish', 'español', 'ESPANOL', 'Kreyol ayisyen', 'portugues', '中文', 'العربية'].map(normaliseLanguage),
    ).toEqual(['es', 'es', 'es', 'ht', 'pt', 'zh', 'ar']);
  });

  it('refuses a name it does not know and a malformed code, saying what it takes', () => {
    for (const value of ['Klingon', 'Castellano', 'e', 'xx-invalid-language-code', 'en-US-posix', 'es;en', '']) {
      const result = LanguageCode.safeParse(value);
      expect(result.success, value).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(
        /^must be a language code such as en, es or pt-BR, or a language's name/,
      );
    }
  });

  it('names a language in English for staff, and lists the choices with their codes for an API', () => {
    expect(['es', 'pt-BR', 'zh-Hant', 'ht'].map(languageName)).toEqual([
      'Spanish',
      'Brazilian Portuguese',
      'Traditional Chinese',
      'Haitian Creole',
    ]);
    expect(languageName('not a code')).toBe('not a code');
    expect(languageChoices(['en', 'es'])).toBe('en (English) or es (Spanish)');
    expect(languageChoices(['en', 'es', 'fr'])).toBe('en (English), es (Spanish), or fr (French)');
  });

  it('keys a text by the code, and refuses two keys for one language instead of keeping either', () => {
    const Text = byLanguage(z.string());
    expect(Text.parse({ EN: 'Hello', Español: 'Hola', 'pt-br': 'Olá' })).toEqual({
      en: 'Hello',
      es: 'Hola',
      'pt-BR': 'Olá',
    });
    expect(Text.safeParse({ es: 'Hola', ES: 'Buenas' }).error?.issues).toEqual([
      { code: 'custom', path: ['ES'], message: 'is the same language as "es"' },
    ]);
    expect(Text.safeParse({ Klingon: 'nuqneH' }).error?.issues).toEqual([
      { code: 'custom', path: ['Klingon'], message: expect.stringMatching(/^must be a language code/) },
    ]);
  });
});
