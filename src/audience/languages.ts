// Languages as people write them in a spreadsheet or a request: a code in any case (ES, pt-br,
// pt_BR) or, for the languages named here, a name in English or in the language itself.

/**
 * The languages read by name as well as by code, in English and in their own words; Settings
 * suggests them when the organisation adds a language.
 */
export const NAMED_LANGUAGES = [
  { code: 'en', english: 'English', native: 'English' },
  { code: 'es', english: 'Spanish', native: 'Español' },
  { code: 'fr', english: 'French', native: 'Français' },
  { code: 'pt', english: 'Portuguese', native: 'Português' },
  { code: 'ht', english: 'Haitian Creole', native: 'Kreyòl ayisyen' },
  { code: 'ar', english: 'Arabic', native: 'العربية' },
  { code: 'zh', english: 'Chinese', native: '中文' },
] as const;

/** "Español", "ESPANOL" and "español" are one name: case and accents aside, as people type them. */
const fold = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').toLowerCase();

const CODE_BY_NAME = new Map<string, string>(
  NAMED_LANGUAGES.flatMap(({ code, english, native }) => [
    [fold(english), code],
    [fold(native), code],
  ]),
);

/** A language and at most one subtag, in any case, joined by - or _. */
const LOOSE_CODE = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?$/;

/**
 * The code as BCP 47 writes it: the language lower-case, a region upper-case (pt-BR), a script
 * capitalised (zh-Hant), digits as they are (es-419). Anything else comes back trimmed and
 * unchanged, for the caller's check to refuse.
 */
export function normaliseLanguage(value: string): string {
  const text = value.trim();
  const code = LOOSE_CODE.exec(text);
  if (!code) return CODE_BY_NAME.get(fold(text)) ?? text;
  const [, language, subtag] = code;
  return subtag === undefined ? language!.toLowerCase() : `${language!.toLowerCase()}-${casedSubtag(subtag)}`;
}

function casedSubtag(subtag: string): string {
  if (/^[A-Za-z]{2}$/.test(subtag)) return subtag.toUpperCase();
  if (/^[A-Za-z]{4}$/.test(subtag)) return subtag.charAt(0).toUpperCase() + subtag.slice(1).toLowerCase();
  return subtag.toLowerCase();
}

const ENGLISH_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish" for "es": a language as staff speak of it (the code itself when it has no name). */
export function languageName(code: string): string {
  try {
    return ENGLISH_NAMES.of(code) ?? code;
  } catch {
    return code; // not a well-formed code: it is its own best name
  }
}

const OR = new Intl.ListFormat('en', { type: 'disjunction' });

/** "en (English) or es (Spanish)": codes as an API takes them, with the names people know. */
export const languageChoices = (codes: readonly string[]): string =>
  OR.format(codes.map((code) => `${code} (${languageName(code)})`));
