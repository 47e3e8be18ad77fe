// Organisation settings: who sends, from where, in what colours. Kept in the database, edited
// with GET/PUT /api/settings; the theme and the pre-send checks read them.
import { z } from 'zod';
import { LanguageCode } from '../audience/schemas.js';

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
});
