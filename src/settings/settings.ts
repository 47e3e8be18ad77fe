// Organisation settings: who sends, from where, in what colours. Kept in the database, edited
// with GET/PUT /api/settings; the theme and the pre-send checks read them.
import { z } from 'zod';
import { byLanguage, LanguageCode } from '../audience/schemas.js';
import { SHIPPED_WORDS, slotsOf, type WordGroup, type Wording } from '../words/catalogue.js';

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** A locale Intl can format with ("es-US", "es-419"), kept as Intl spells it (es-us is es-US). */
const Locale = z.string().transform((value, ctx) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(value.trim());
    if (canonical) return canonical;
  } catch {
    // Intl refuses it: said below.
  }
  ctx.addIssue({ code: 'custom', message: 'must be a locale such as en-US, es-US or es-ES' });
  return z.NEVER;
});

/** The organisation's languages, its first choices wherever staff or readers pick one. */
const Languages = z
  .array(LanguageCode)
  .min(1, 'must name at least one language')
  .max(20, 'must name at most 20 languages')
  .superRefine((languages, ctx) => {
    languages.forEach((language, i) => {
      if (languages.indexOf(language) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'is named twice' });
    });
  });

/**
 * The logo's address: https, as every image a mail shows; or an image of this Pregón's media
 * library (addresses starting with `mediaUrl`), which is http where Pregón itself is (development).
 */
function logoUrl(mediaUrl: string | undefined) {
  const https = z.url({ protocol: /^https$/ });
  const served = (url: string) => mediaUrl !== undefined && url.startsWith(mediaUrl) && URL.canParse(url);
  return z.union([
    z.literal(''),
    z.string().refine((url) => https.safeParse(url).success || served(url), 'must be an https URL'),
  ]);
}

/** The settings' schema where the media library's images are at `mediaUrl` (none: https only). */
export function settingsSchema(mediaUrl?: string) {
  return z.strictObject({
    organisationName: optionalText(200).min(1, 'must not be empty'),
    /** CAN-SPAM wants a physical postal address in every bulk mail; a pre-send check says so when it is missing. */
    postalAddress: optionalText(500),
    logoUrl: logoUrl(mediaUrl),
    senderName: optionalText(200),
    senderEmail: z.union([z.literal(''), z.email('must be an email address')]),
    replyTo: z.union([z.literal(''), z.email('must be an email address')]),
    defaultLanguage: LanguageCode,
    brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #b3261e'),
    /** The languages offered in the composer, the subscribe form and the preference page; any others are kept. */
    languages: Languages,
    /** Per language, the locale its numbers and dates are written in; a language without one uses its own code. */
    locales: byLanguage(Locale),
    /** The organisation's own words over the shipped ones ("Wording"): see src/words/catalogue.ts. */
    wording: wordingSchema(),
    /**
     * Sends to more than this many people need another editor's or admin's approval (a writer's
     * always do: src/sending/send-policy.ts); null, off.
     */
    approvalThreshold: z
      .int('must be a whole number of people, or null for no threshold')
      .min(1, 'must be at least 1, or null for no threshold')
      .nullable(),
  });
}

/** PUT merges: any subset of the fields. */
export function settingsPatchSchema(mediaUrl?: string) {
  return settingsSchema(mediaUrl)
    .partial()
    .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
}

export const Settings = settingsSchema();
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = settingsPatchSchema();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  organisationName: 'Pregón',
  postalAddress: '',
  logoUrl: '',
  senderName: '',
  senderEmail: '',
  replyTo: '',
  defaultLanguage: 'en',
  brandColor: '#b3261e',
  languages: ['en', 'es'],
  // Most Spanish readers of a US organisation live in the US: 62,500, not 62.500.
  locales: { en: 'en-US', es: 'es-US' },
  wording: {},
  approvalThreshold: null,
});

/** The locale `language`'s numbers and dates are written in: its own entry, else the language itself. */
export function formattingLocale(settings: Pick<Settings, 'locales'>, language: string): string {
  return settings.locales[language] ?? language;
}

/**
 * Per language, any entry of the shipped words: a text of its own, whose {slots} are among those
 * the English entry has (an entry may leave a slot out; it may not invent one).
 */
function wordingSchema(): z.ZodType<Wording> {
  const english = SHIPPED_WORDS.en!;
  const entry = (slots: readonly string[]) =>
    optionalText(2000)
      .min(1, 'must not be empty: leave the entry out to use the default')
      .superRefine((text, ctx) => {
        const unknown = slotsOf(text).filter((slot) => !slots.includes(slot));
        if (unknown.length === 0) return;
        const allowed = slots.length ? `: it may use ${slots.map((s) => `{${s}}`).join(', ')}` : '';
        ctx.addIssue({ code: 'custom', message: `has no slot ${unknown.map((s) => `{${s}}`).join(', ')}${allowed}` });
      });
  const group = (name: WordGroup) =>
    z.strictObject(
      Object.fromEntries(Object.entries(english[name]).map(([key, text]) => [key, entry(slotsOf(text)).optional()])),
    );
  const groups = Object.fromEntries(
    (Object.keys(english) as WordGroup[]).map((name) => [name, group(name).optional()]),
  );
  return byLanguage(z.strictObject(groups)).meta({
    description:
      "The organisation's own words over the shipped ones, per language and entry, e.g. " +
      '{"es": {"footer": {"unsubscribe": "…"}}}; replaced as a whole by PUT. Each text may use the {slots} ' +
      'its English entry has.',
  }) as unknown as z.ZodType<Wording>;
}
