// Organisation settings: who sends, from where, in what colours. Kept in the database, edited
// with GET/PUT /api/settings; the theme and the pre-send checks read them.
import { z } from 'zod';
import { byLanguage, LanguageCode } from '../audience/schemas.js';
import { SHIPPED_WORDS, slotsOf, type WordGroup, type Wording } from '../words/catalogue.js';

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

export const Settings = z.strictObject({
  organisationName: optionalText(200).min(1, 'must not be empty'),
  /** CAN-SPAM wants a physical postal address in every bulk mail; a pre-send check says so when it is missing. */
  postalAddress: optionalText(500),
  logoUrl: z.union([z.literal(''), z.url({ protocol: /^https$/, error: 'must be an https URL' })]),
  senderName: optionalText(200),
  senderEmail: z.union([z.literal(''), z.email('must be an email address')]),
  replyTo: z.union([z.literal(''), z.email('must be an email address')]),
  defaultLanguage: LanguageCode,
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #b3261e'),
  /** The organisation's own words over the shipped ones ("Wording"): see src/words/catalogue.ts. */
  wording: wordingSchema(),
});
export type Settings = z.infer<typeof Settings>;

/** PUT merges: any subset of the fields. */
export const SettingsPatch = Settings.partial().refine(
  (patch) => Object.keys(patch).length > 0,
  'must change at least one field',
);
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
  wording: {},
});

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
