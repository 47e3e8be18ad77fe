// The bulletin document, format v1: what the API and the CLI take and give. Every text a reader
// sees is localised ({"en": "…", "es": "…"}); the first of `languages` is the fallback.
import { z } from 'zod';
import { LanguageCode, TopicKey } from '../audience/schemas.js';

/** A text per language. Missing or empty translations are a pre-send finding, not a schema error. */
export const Localised = z.record(LanguageCode, z.string().max(20_000, 'must be at most 20,000 characters'));
export type Localised = z.infer<typeof Localised>;

const https = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an https URL');

const Link = z.strictObject({ href: https, label: Localised });

const Announcement = z.strictObject({
  type: z.literal('announcement'),
  heading: Localised,
  body: Localised,
  image: z.strictObject({ src: https, alt: Localised }).optional(),
  link: Link.optional(),
});

const Statement = z.strictObject({
  type: z.literal('statement'),
  heading: Localised.optional(),
  quote: Localised,
  speaker: z.string().trim().min(1, 'must not be empty').max(200),
  role: Localised.optional(),
  link: Link.optional(),
});

const CallToAction = z.strictObject({
  type: z.literal('call_to_action'),
  heading: Localised,
  body: Localised,
  button: Link,
  goal: z
    .strictObject({
      target: z.number().positive('must be more than 0'),
      current: z.number().min(0, 'must be 0 or more').optional(),
      unit: Localised.optional(),
    })
    .optional(),
});

const Survey = z.strictObject({
  type: z.literal('survey'),
  heading: Localised,
  body: Localised,
  items: z.array(Localised).max(50).optional(),
  contact: z.email('must be an email address').optional(),
  button: Link.optional(),
  hashtags: z.array(z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'must be a hashtag such as #TakeTheSurvey')).max(20).optional(),
});

const Text = z.strictObject({ type: z.literal('text'), body: Localised });

const Image = z.strictObject({ type: z.literal('image'), src: https, alt: Localised, href: https.optional() });

const Divider = z.strictObject({ type: z.literal('divider') });

export const Block = z.discriminatedUnion('type', [Announcement, Statement, CallToAction, Survey, Text, Image, Divider], {
  error: 'must be a block of type announcement, statement, call_to_action, survey, text, image or divider',
});
export type Block = z.infer<typeof Block>;
export type BlockType = Block['type'];

export const BulletinDocument = z
  .strictObject({
    version: z.literal(1, 'must be 1'),
    title: z.string().trim().min(1, 'must not be empty').max(200),
    languages: z
      .array(LanguageCode)
      .min(1, 'must name at least one language')
      .max(10)
      .refine((langs) => new Set(langs).size === langs.length, 'must not repeat a language'),
    subject: Localised,
    preheader: Localised.optional(),
    topic: TopicKey.optional(),
    blocks: z.array(Block).max(100, 'must be at most 100 blocks'),
  })
  .describe('A bulletin document, format v1');
export type BulletinDocument = z.infer<typeof BulletinDocument>;

/** The text in `language`, else in the bulletin's fallback (first) language, else empty. */
export function pick(text: Localised | undefined, language: string, fallback: string): string {
  if (!text) return '';
  return text[language]?.trim() || text[fallback]?.trim() || '';
}

/** The JSON Schema of the document, as published at /api/schemas/bulletin.json. */
export const bulletinDocumentSchema = {
  $id: 'https://pregon.dev/schemas/bulletin-v1.json',
  title: 'Pregón bulletin document, format v1',
  ...z.toJSONSchema(BulletinDocument, { io: 'input' }),
};
