// The bulletin document, format v1: what the API and the CLI take and give. Every text a reader
// sees is localised ({"en": "…", "es": "…"}); the first of `languages` is the fallback.
//
// A draft always saves while its shape is right: a field left empty or out, a placeholder address,
// an unfinished email or hashtag are pre-send check findings (src/render/checks.ts) that name the
// field, not save errors, so one new block never holds back the rest of the work. Only what could
// never be right refuses a save: malformed JSON, a wrong type, an unknown key, an address with a
// scheme that runs or embeds something (javascript:, data:), oversize content.
import { z } from 'zod';
import { CAMPAIGN_IN_BLOCK_AUDIENCE, ruleNamesCampaign } from '../audience/rule-evaluator.js';
import { RuleSchema } from '../audience/rules.js';
import { byLanguage, LanguageCode, TopicKey } from '../audience/schemas.js';

/**
 * All the text of a bulletin, every field of every language together. A mail past 102 KB of HTML
 * is clipped by Gmail anyway, and the preview and the checks take time in proportion to it.
 */
export const MAX_BULLETIN_TEXT = 100_000;

/** A text per language. Missing or empty translations are a pre-send finding, not a schema error. */
export const Localised = byLanguage(z.string().max(20_000, 'must be at most 20,000 characters'));
export type Localised = z.infer<typeof Localised>;

/** Schemes an address may have while a draft is being written: anything else is refused outright. */
const DRAFT_SCHEMES = new Set(['https', 'http', 'mailto']);

/**
 * Whether `value` may be stored as an address: without a scheme (being typed, a placeholder, a merge
 * field) or one of DRAFT_SCHEMES. Browsers ignore whitespace and control characters inside a
 * scheme ("java\tscript:"), so they are dropped before it is read.
 */
export function isStorableAddress(value: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\u0000-\u0020\u007f]/g, ''));
  return !scheme || DRAFT_SCHEMES.has(scheme[1]!.toLowerCase());
}

/** An https address once the bulletin is sent; the checks say what is still missing. */
const Address = z
  .string()
  .trim()
  .max(2_000, 'must be at most 2,000 characters')
  .refine(isStorableAddress, 'must be an https URL');

/**
 * An address for every language ("https://…"), or each language its own ({"en": "https://…",
 * "es": "https://…/es"}): a language left out gets the fallback language's.
 */
const LocalisedAddress = z.union([Address, byLanguage(Address)], {
  error: 'must be an address, or an address per language such as {"en": "https://…", "es": "https://…"}',
});
export type AddressValue = string | Record<string, string>;

/** Hashtags for every language (["#A"]), or each language its own ({"en": ["#A"], "es": ["#B"]}). */
const Hashtags = z.array(z.string().trim().max(140)).max(20);
const LocalisedHashtags = z.union([Hashtags, byLanguage(Hashtags)], {
  error: 'must be a list of hashtags, or a list per language such as {"en": ["#A"], "es": ["#B"]}',
});
export type HashtagsValue = string[] | Record<string, string[]>;

/** A field the reader needs, left out while drafting: empty until filled in. */
const draftText = () => Localised.default({});
const draftAddress = () => LocalisedAddress.default('');

const Link = z.strictObject({ href: draftAddress(), label: draftText() });

/**
 * Who among a send's readers sees the block: a segment rule read on each reader's row when the
 * mail is personalised (src/audience/rule-evaluator.ts). Left out, everyone does. It cannot ask
 * who received a campaign, which only the delivery ledger knows.
 */
const BlockAudience = RuleSchema.refine((rule) => !ruleNamesCampaign(rule), CAMPAIGN_IN_BLOCK_AUDIENCE)
  .optional()
  .describe(
    'Who sees the block, as a segment rule (docs/audience.md), e.g. {"not": {"tag": "signed-petition"}}; ' +
      'everyone when left out. May not name a campaign.',
  );

const Announcement = z.strictObject({
  type: z.literal('announcement'),
  audience: BlockAudience,
  heading: draftText(),
  body: draftText(),
  image: z.strictObject({ src: draftAddress(), alt: draftText() }).optional(),
  link: Link.optional(),
});

const Statement = z.strictObject({
  type: z.literal('statement'),
  audience: BlockAudience,
  heading: Localised.optional(),
  quote: draftText(),
  speaker: z.string().trim().max(200).default(''),
  role: Localised.optional(),
  link: Link.optional(),
});

const CallToAction = z.strictObject({
  type: z.literal('call_to_action'),
  audience: BlockAudience,
  heading: draftText(),
  body: draftText(),
  button: Link.default({ href: '', label: {} }),
  goal: z
    .strictObject({
      target: z.number().default(0),
      current: z.number().optional(),
      unit: Localised.optional(),
    })
    .optional(),
});

const Survey = z.strictObject({
  type: z.literal('survey'),
  audience: BlockAudience,
  heading: draftText(),
  body: draftText(),
  items: z.array(Localised).max(50).optional(),
  contact: z.string().trim().max(320).optional(),
  button: Link.optional(),
  hashtags: LocalisedHashtags.optional(),
});

const Text = z.strictObject({ type: z.literal('text'), audience: BlockAudience, body: draftText() });

const Image = z.strictObject({
  type: z.literal('image'),
  audience: BlockAudience,
  src: draftAddress(),
  alt: draftText(),
  href: LocalisedAddress.optional(),
});

const Divider = z.strictObject({ type: z.literal('divider'), audience: BlockAudience });

export const Block = z.discriminatedUnion(
  'type',
  [Announcement, Statement, CallToAction, Survey, Text, Image, Divider],
  {
    error: 'must be a block of type announcement, statement, call_to_action, survey, text, image or divider',
  },
);
export type Block = z.infer<typeof Block>;
export type BlockType = Block['type'];

export const BulletinDocument = z
  .strictObject({
    version: z.literal(1, 'must be 1'),
    title: z.string().trim().max(200).default(''),
    languages: z
      .array(LanguageCode)
      .min(1, 'must name at least one language')
      .max(10)
      .refine((langs) => new Set(langs).size === langs.length, 'must not repeat a language'),
    subject: draftText(),
    preheader: Localised.optional(),
    issueLine: Localised.optional().describe(
      'A date or issue number shown small under the organisation\'s name: "Issue 12 · 4 December 2026"',
    ),
    topic: TopicKey.optional(),
    blocks: z.array(Block).max(100, 'must be at most 100 blocks'),
  })
  .superRefine((doc, ctx) => {
    const past = fieldPastTextLimit(doc);
    if (past)
      ctx.addIssue({
        code: 'custom',
        path: past,
        message:
          `takes the bulletin past ${MAX_BULLETIN_TEXT.toLocaleString('en')} characters of text in all, ` +
          'every language together (Gmail clips a mail past 102 KB)',
      });
  })
  .describe('A bulletin document, format v1');
export type BulletinDocument = z.infer<typeof BulletinDocument>;

/** The path of the field whose text takes the document past MAX_BULLETIN_TEXT, if one does. */
function fieldPastTextLimit(doc: unknown): (string | number)[] | undefined {
  let total = 0;
  const visit = (value: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (typeof value === 'string') {
      total += value.length;
      return total > MAX_BULLETIN_TEXT ? path : undefined;
    }
    if (value === null || typeof value !== 'object') return undefined;
    for (const [key, inner] of Object.entries(value)) {
      const past = visit(inner, [...path, Array.isArray(value) ? Number(key) : key]);
      if (past) return past;
    }
    return undefined;
  };
  return visit(doc, []);
}

/** The text in `language`, else in the bulletin's fallback (first) language, else empty. */
export function pick(text: Localised | undefined, language: string, fallback: string): string {
  if (!text) return '';
  return text[language]?.trim() || text[fallback]?.trim() || '';
}

/** The address in `language`, else in the bulletin's fallback (first) language, else empty. */
export function addressIn(value: AddressValue | undefined, language: string, fallback: string): string {
  if (typeof value === 'string') return value;
  return value?.[language] || value?.[fallback] || '';
}

/** The hashtags in `language`, else the fallback language's. */
export function hashtagsIn(value: HashtagsValue | undefined, language: string, fallback: string): string[] {
  if (value === undefined || Array.isArray(value)) return value ?? [];
  return value[language]?.length ? value[language] : (value[fallback] ?? []);
}

/**
 * The document as a reader of `language` gets it: every address and list of hashtags is the
 * language's own, else the fallback language's. Texts stay as they are (pick() reads them).
 */
export function documentIn(doc: BulletinDocument, language: string): BulletinDocument {
  const fallback = doc.languages[0]!;
  return { ...doc, blocks: doc.blocks.map((block) => blockIn(block, language, fallback)) };
}

function blockIn(block: Block, language: string, fallback: string): Block {
  const at = (value: AddressValue) => addressIn(value, language, fallback);
  const link = <L extends { href: AddressValue }>(l: L): L => ({ ...l, href: at(l.href) });
  switch (block.type) {
    case 'announcement':
      return {
        ...block,
        ...(block.image ? { image: { ...block.image, src: at(block.image.src) } } : {}),
        ...(block.link ? { link: link(block.link) } : {}),
      };
    case 'statement':
      return block.link ? { ...block, link: link(block.link) } : block;
    case 'call_to_action':
      return { ...block, button: link(block.button) };
    case 'survey':
      return {
        ...block,
        ...(block.button ? { button: link(block.button) } : {}),
        ...(block.hashtags ? { hashtags: hashtagsIn(block.hashtags, language, fallback) } : {}),
      };
    case 'image':
      return { ...block, src: at(block.src), ...(block.href !== undefined ? { href: at(block.href) } : {}) };
    case 'text':
    case 'divider':
      return block;
  }
}

/** The JSON Schema of the document, as published at /api/schemas/bulletin.json. */
export const bulletinDocumentSchema = {
  $id: 'https://pregon.dev/schemas/bulletin-v1.json',
  title: 'Pregón bulletin document, format v1',
  ...z.toJSONSchema(BulletinDocument, { io: 'input' }),
};
