// The words catalogue: each shipped language's file, the organisation's overrides ("Wording" in
// Settings) on top, and the fallback from a language without words to one with them. Pure, and
// free of Node: the staff app shows the defaults from here too. A language is added by adding its
// file (es.ts is the model) and listing it in SHIPPED_WORDS.
import { en } from './en.js';
import { es } from './es.js';

/** Every entry of every group, as English has them; each entry is a template with {slots}. */
export type Words = { readonly [G in keyof typeof en]: { readonly [E in keyof (typeof en)[G]]: string } };
export type WordGroup = keyof Words;

/** The languages whose words ship with Pregón, by base language code. */
export const SHIPPED_WORDS: Readonly<Record<string, Words>> = { en, es };

/** The organisation's own words, per language (a BCP 47 code), any entry of any group. */
export type Wording = Readonly<
  Record<string, { readonly [G in WordGroup]?: { readonly [E in keyof Words[G]]?: string } }>
>;

/** Where a language's words come from, in the organisation's settings. */
export interface WordsSource {
  /** The words of a language without its own: English only when this has none either. */
  defaultLanguage: string;
  wording?: Wording | undefined;
}

const SLOT = /\{(\w+)\}/g;

/** The {slots} a template names, in order of first appearance. */
export function slotsOf(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(SLOT), (match) => match[1]!))];
}

/** Fills {name} slots; the values are already escaped for where the text goes. */
export function fillSlots(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(SLOT, (_, key: string) => values[key] ?? '').replace(/\s+$/, '');
}

const base = (language: string) => language.toLowerCase().split('-')[0]!;

/** The overrides written for exactly this language (keys compared as BCP 47 does, case aside). */
function overridesOf(wording: Wording | undefined, language: string): Wording[string] | undefined {
  if (!wording) return undefined;
  const key = Object.keys(wording).find((code) => code.toLowerCase() === language.toLowerCase());
  return key === undefined ? undefined : wording[key];
}

/**
 * The languages to take each entry from, first to last: the language itself, its base language
 * (es-MX → es), the organisation's default (and its base), and English, which has every entry.
 */
function chain(language: string, source: WordsSource): string[] {
  return [...new Set([language, base(language), source.defaultLanguage, base(source.defaultLanguage), 'en'])];
}

/** Whether `language` has words of its own: a shipped file, or overrides the organisation wrote. */
function hasWords(language: string, source: WordsSource): boolean {
  const own = overridesOf(source.wording, language);
  return language.toLowerCase() in SHIPPED_WORDS || (own !== undefined && Object.keys(own).length > 0);
}

/** `language` when it has words, else its base language (es-MX → es) when that has; else none. */
export function ownWordsLanguage(language: string, source: WordsSource): string | undefined {
  return [language, base(language)].find((candidate) => hasWords(candidate, source));
}

/**
 * The language whose words a reader of `language` is shown, for a page's `lang`: its own or its
 * base's, else the organisation's default language's, else English.
 */
export function wordsLanguage(language: string, source: WordsSource): string {
  return ownWordsLanguage(language, source) ?? ownWordsLanguage(source.defaultLanguage, source) ?? 'en';
}

/**
 * The words for a reader of `language`: each entry from the first language of the chain that
 * has it, the organisation's override before the shipped text of the same language.
 */
export function wordsFor(language: string, source: WordsSource): Words {
  const languages = chain(language, source);
  const layers = languages.flatMap((l) => [overridesOf(source.wording, l), SHIPPED_WORDS[l.toLowerCase()]]);
  const entry = (group: WordGroup, name: string): string => {
    for (const layer of layers) {
      const text = (layer?.[group] as Record<string, string | undefined> | undefined)?.[name];
      if (text !== undefined) return text;
    }
    return (en[group] as Record<string, string>)[name]!;
  };
  return Object.fromEntries(
    (Object.keys(en) as WordGroup[]).map((group) => [
      group,
      Object.fromEntries(Object.keys(en[group]).map((name) => [name, entry(group, name)])),
    ]),
  ) as unknown as Words;
}
