// The words catalogue: every shipped language has every entry with English's {slots}, a language
// without words falls back to the organisation's default, and the organisation's wording is
// applied on top of the shipped words and checked before it is kept.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { Settings, SettingsPatch } from '../../src/settings/settings.js';
import { fillSlots, SHIPPED_WORDS, slotsOf, wordsFor, wordsLanguage } from '../../src/words/catalogue.js';

const WORDS_FOLDER = resolve(import.meta.dirname, '../../src/words');
const en = SHIPPED_WORDS.en!;
const es = SHIPPED_WORDS.es!;

/** "footer.unsubscribe" → its text, for every entry of a language. */
const entries = (words: object) =>
  Object.entries(words).flatMap(([group, texts]) =>
    Object.entries(texts as Record<string, string>).map(([name, text]) => [`${group}.${name}`, text] as const),
  );

describe('the shipped words', () => {
  it('are a file per language in src/words, each one listed in the catalogue', () => {
    const files = readdirSync(WORDS_FOLDER).filter((file) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?\.ts$/.test(file));
    expect(files.map((file) => file.replace(/\.ts$/, '')).sort()).toEqual(Object.keys(SHIPPED_WORDS).sort());
    expect(Object.keys(SHIPPED_WORDS)).toEqual(expect.arrayContaining(['en', 'es']));
  });

  it.each(Object.keys(SHIPPED_WORDS))('in %s have every entry English has, with the same {slots}', (language) => {
    const words = new Map(entries(SHIPPED_WORDS[language]!));
    expect([...words.keys()]).toEqual(entries(en).map(([key]) => key));
    for (const [key, text] of entries(en)) {
      expect(slotsOf(words.get(key)!).sort(), key).toEqual(slotsOf(text).sort());
      expect(words.get(key)!.trim(), key).not.toBe('');
    }
  });

  it('in Spanish address the reader as usted, never tú', () => {
    const texts = entries(es).map(([, text]) => text);
    // The tú forms the Spanish used to have: "Darte de baja", "tus preferencias", "Elige lo que quieres".
    const tu = /\b(te|tu|tus|ti|darte|darme|eliges|recibes|quieres|puedes|prefieres|cambiaste)\b/i;
    const imperative = /^(Elige|Revisa|Confirma|Espera|Abre|Escribe|Corrige|Recibe|Vuelve|Tómate|Envíame)\b/;
    expect(texts.filter((text) => tu.test(text) || imperative.test(text))).toEqual([]);
    expect(es.footer.unsubscribe).toBe('Cancelar la suscripción');
    expect(es.footer.preferences).toBe('Gestione sus preferencias');
  });

  it('put an article before a topic name in Spanish ("a la lista «Boletín semanal»")', () => {
    const why = fillSlots(es.footer.whyTopic, { topic: 'Boletín semanal', organisation: 'NNIRR' });
    expect(why).toBe('Usted recibe este correo porque se suscribió a la lista «Boletín semanal» de NNIRR.');
  });
});

describe('the words for a reader', () => {
  it("are the language's own, or its base language's for a regional code (es-MX → es)", () => {
    expect(wordsFor('es', { defaultLanguage: 'en' })).toEqual(es);
    expect(wordsFor('es-MX', { defaultLanguage: 'en' })).toEqual(es);
    expect(wordsLanguage('es-MX', { defaultLanguage: 'en' })).toBe('es');
  });

  it("are the organisation's default language's for a language without words, not always English", () => {
    expect(wordsFor('pt', { defaultLanguage: 'es' })).toEqual(es);
    expect(wordsLanguage('pt', { defaultLanguage: 'es' })).toBe('es');
    expect(wordsFor('pt-BR', { defaultLanguage: 'en' })).toEqual(en);
    // A default without words of its own falls back to English, which has every entry.
    expect(wordsFor('ar', { defaultLanguage: 'pt' })).toEqual(en);
    expect(wordsLanguage('ar', { defaultLanguage: 'pt' })).toBe('en');
  });

  it("take the organisation's wording over the shipped words, in that language and its regions", () => {
    const wording = { es: { footer: { unsubscribe: 'Darse de baja' } } };
    for (const language of ['es', 'es-MX']) {
      const words = wordsFor(language, { defaultLanguage: 'en', wording });
      expect(words.footer.unsubscribe).toBe('Darse de baja');
      expect(words.footer.preferences).toBe(es.footer.preferences);
    }
    expect(wordsFor('en', { defaultLanguage: 'en', wording }).footer.unsubscribe).toBe('Unsubscribe');
    // A reader of a language without words gets the default's words, overrides included.
    expect(wordsFor('pt', { defaultLanguage: 'es', wording }).footer.unsubscribe).toBe('Darse de baja');
  });

  it("let the organisation write a language of its own: its entries first, the default's for the rest", () => {
    const wording = { pt: { footer: { unsubscribe: 'Cancelar inscrição' } } };
    const words = wordsFor('pt-BR', { defaultLanguage: 'es', wording });
    expect(words.footer.unsubscribe).toBe('Cancelar inscrição');
    expect(words.footer.preferences).toBe(es.footer.preferences);
    expect(wordsLanguage('pt-BR', { defaultLanguage: 'es', wording })).toBe('pt');
  });
});

describe('the wording setting', () => {
  const issues = (input: unknown) => {
    const result = SettingsPatch.safeParse(input);
    return result.success ? [] : AppError.fromZod(result.error).issues;
  };

  it('keeps an override of any entry, its language read as a code (ES → es)', () => {
    const patch = SettingsPatch.parse({ wording: { ES: { footer: { unsubscribe: ' Darse de baja ' } } } });
    expect(patch.wording).toEqual({ es: { footer: { unsubscribe: 'Darse de baja' } } });
    expect(Settings.shape.wording.parse({})).toEqual({});
  });

  it('refuses an unknown entry or group, naming it', () => {
    expect(issues({ wording: { es: { footer: { unsubscrib: 'x' } } } })).toEqual([
      { path: 'wording.es.footer.unsubscrib', message: 'is not a known field' },
    ]);
    expect(issues({ wording: { es: { masthead: {} } } })).toEqual([
      { path: 'wording.es.masthead', message: 'is not a known field' },
    ]);
  });

  it('refuses a {slot} the entry does not have, naming the entry and the slots it may use', () => {
    expect(issues({ wording: { es: { footer: { whyGeneral: 'De {organisation} para {name}' } } } })).toEqual([
      { path: 'wording.es.footer.whyGeneral', message: 'has no slot {name}: it may use {organisation}' },
    ]);
    expect(issues({ wording: { es: { footer: { unsubscribe: 'Baja {{email}}' } } } })).toEqual([
      { path: 'wording.es.footer.unsubscribe', message: 'has no slot {email}' },
    ]);
    // Leaving a slot out is the organisation's choice.
    expect(issues({ wording: { es: { footer: { whyGeneral: 'Usted se suscribió.' } } } })).toEqual([]);
  });

  it('refuses an empty override and a language that is not a code', () => {
    expect(issues({ wording: { es: { footer: { unsubscribe: '  ' } } } })).toEqual([
      { path: 'wording.es.footer.unsubscribe', message: 'must not be empty: leave the entry out to use the default' },
    ]);
    expect(issues({ wording: { 'not a language': {} } })).toMatchObject([{ path: 'wording.not a language' }]);
  });
});
