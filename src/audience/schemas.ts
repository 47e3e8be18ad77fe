// The audience's input and output shapes: the one contract of the audience API. Stores, routes
// and the staff app (with `import type`) take their types from here, and so does the OpenAPI
// document. A saved segment's shape is in rules.ts, beside the rule schema it needs.
import { z } from 'zod';
import { CONSENT_SOURCES, SUBSCRIBER_STATUSES, SUPPRESSION_REASONS } from '../db/schema.js';
import { ATTRIBUTE_NAME_PATTERN, ATTRIBUTE_NAME_RULE, RESERVED_ATTRIBUTE_NAMES } from './attribute-name-rule.js';
import { EXCLUSION_REASONS, type ExclusionReason } from './exclusion-reasons.js';
import { normaliseLanguage } from './languages.js';
import { PageCursorToken } from './page-cursor.js';

/**
 * Read as people write it ("ES", "pt-br", "Spanish", "Español") and kept as BCP 47 writes it
 * ("es", "pt-BR"), so that every way in (API, CSV, forms, bulletins) stores one spelling.
 */
export const LanguageCode = z
  .string()
  .transform(normaliseLanguage)
  .pipe(
    z
      .string()
      .regex(
        /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/,
        "must be a language code such as en, es or pt-BR, or a language's name such as Spanish or Español",
      ),
  )
  .meta({
    description:
      'A language code such as en, es or pt-BR, in any case, or a name such as Spanish or Español; ' +
      'stored as the code (es, pt-BR)',
  });

/**
 * A value per language, keyed as LanguageCode reads it: {"ES": …} is {"es": …}. Two keys for one
 * language ("es" and "ES") are refused, naming the second, rather than one replacing the other.
 */
export function byLanguage<T extends z.ZodType>(value: T) {
  const codes = (values: Record<string, unknown>) =>
    Object.keys(values).map((key) => ({ key, code: LanguageCode.safeParse(key) }));
  // A check and an overwrite rather than a transform: a union (an address, or an address per
  // language) then names the issue inside, "button.href.es", not only the union as a whole.
  return z
    .record(z.string().meta({ description: 'A language, read as LanguageCode reads it' }), value)
    .superRefine((values, ctx) => {
      const keyOf = new Map<string, string>();
      for (const { key, code } of codes(values)) {
        const earlier = code.success ? keyOf.get(code.data) : undefined;
        if (!code.success) ctx.addIssue({ code: 'custom', path: [key], message: code.error.issues[0]!.message });
        else if (earlier !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: `is the same language as "${earlier}"` });
        else keyOf.set(code.data, key);
      }
    })
    .overwrite((values) =>
      Object.fromEntries(codes(values).map(({ key, code }) => [code.success ? code.data : key, values[key]!])),
    );
}

/** A text per language: {"en": "Weekly bulletin", "es": "Boletín semanal"} */
const TextByLanguage = byLanguage(z.string().trim().min(1, 'must not be empty').max(2000));

export const LocalisedText = TextByLanguage.refine(
  (text) => Object.keys(text).length > 0,
  'must have a text in at least one language',
);
export type LocalisedText = z.infer<typeof LocalisedText>;

export const TopicKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes, such as weekly-bulletin');

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .toLowerCase()
  .pipe(z.email('must be an email address'));

/** An address as Email stores it (trimmed, lower-case), for finding it when it comes from elsewhere (SES). */
export function storedEmail(address: string): string {
  return address.trim().toLowerCase();
}

export const Tag = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

/** Any name but for a few characters and reserved names (./attribute-name-rule.ts says which and why). */
export const AttributeName = z
  .string()
  .regex(ATTRIBUTE_NAME_PATTERN, ATTRIBUTE_NAME_RULE)
  .refine((name) => !RESERVED_ATTRIBUTE_NAMES.includes(name), 'is a reserved name');

/** zod drops a "__proto__" key without a word; say so instead of losing it silently. */
export const Attributes = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null) return;
    for (const name of RESERVED_ATTRIBUTE_NAMES.filter((n) => Object.hasOwn(value, n))) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'is a reserved name' });
    }
  })
  .pipe(z.record(AttributeName, z.json()));
export type Attributes = z.infer<typeof Attributes>;

/** The values themselves are the database's (src/db/schema.ts), which the staff app reads without zod. */
export const SubscriberStatus = z.enum(SUBSCRIBER_STATUSES);
export type SubscriberStatus = z.infer<typeof SubscriberStatus>;

const topicFields = {
  name: LocalisedText,
  description: TextByLanguage.describe('Shown beside the name on the public forms; {} removes it'),
  public: z.boolean().describe('Shown on the public subscribe form and preference centre'),
};

export const TopicInput = z.strictObject({
  key: TopicKey,
  name: topicFields.name,
  description: topicFields.description.optional(),
  public: topicFields.public.default(false),
});
export type TopicInput = z.infer<typeof TopicInput>;

/** Without the defaults of TopicInput: a field left out keeps its value. */
export const TopicPatch = z.strictObject(topicFields).partial();
export type TopicPatch = z.infer<typeof TopicPatch>;

export const Topic = z.object({
  key: TopicKey,
  name: LocalisedText,
  description: z.record(z.string(), z.string()),
  public: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Topic = z.infer<typeof Topic>;

const subscriberFields = {
  email: Email,
  name: z.string().trim().max(200, 'must be at most 200 characters'),
  language: LanguageCode,
  topics: z.array(TopicKey).max(100),
  tags: z.array(Tag).max(100),
  attributes: Attributes,
};

export const SubscriberInput = z
  .strictObject({
    email: subscriberFields.email,
    name: subscriberFields.name.default(''),
    // prefault, not default: a default after LanguageCode's transform is left out of the OpenAPI document.
    language: subscriberFields.language.prefault('en'),
    status: z
      .enum(['pending', 'active'])
      .default('pending')
      .describe('"active" only for someone who has already consented; "pending" awaits confirmation'),
    topics: subscriberFields.topics.default([]),
    tags: subscriberFields.tags.default([]),
    attributes: subscriberFields.attributes.default({}),
    sendConfirmation: z
      .boolean()
      .default(false)
      .describe(
        'Mail the double opt-in confirmation (queued, within the limits of the subscribe form); status "pending" only',
      ),
  })
  .refine((input) => !input.sendConfirmation || input.status === 'pending', {
    path: ['sendConfirmation'],
    message: 'needs status "pending": an active subscriber has nothing to confirm',
  });
export type SubscriberInput = z.infer<typeof SubscriberInput>;

/** Fields given replace the old values; topics, tags and attributes are replaced whole. */
export const SubscriberPatch = z
  .strictObject({
    ...subscriberFields,
    status: SubscriberStatus,
    pausedUntil: z.iso
      .datetime({ offset: true, error: 'must be an ISO date-time such as 2026-03-01T00:00:00Z' })
      .nullable()
      .describe('No mail until then; null ends a pause'),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type SubscriberPatch = z.infer<typeof SubscriberPatch>;

export const Subscriber = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  language: z.string(),
  status: SubscriberStatus,
  topics: z.array(z.string()),
  tags: z.array(z.string()),
  attributes: Attributes,
  pausedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** A subscriber just added, and whether their confirmation mail was queued. */
export const CreatedSubscriber = Subscriber.extend({
  confirmationQueued: z.boolean().describe('True when sendConfirmation asked for the mail and it was queued'),
});
export type CreatedSubscriber = z.infer<typeof CreatedSubscriber>;

/** The answer of a confirmation mail queued again by staff. */
export const ConfirmationQueued = z.object({ confirmationQueued: z.literal(true) });
export type ConfirmationQueued = z.infer<typeof ConfirmationQueued>;

/**
 * What the consent log records, in its own words: arriving at a status (`subscribed` is being
 * added active, or back through preferences), a change of preferences or pause, and staff putting
 * the address on the suppression list (`suppressed:<reason>`).
 */
export const ConsentEventKind = z.enum([
  'subscription_requested',
  'confirmed',
  'subscribed',
  'preferences_changed',
  'paused',
  'resumed',
  'unsubscribed',
  'bounced',
  'complained',
  'suppressed:manual',
  'suppressed:bounced',
  'suppressed:complained',
]);
export type ConsentEventKind = z.infer<typeof ConsentEventKind>;

/** Where a change came from, as the consent log records it. */
export const ConsentSource = z.enum(CONSENT_SOURCES);
export type ConsentSource = z.infer<typeof ConsentSource>;

export const ConsentEvent = z.object({
  event: z
    .string()
    .describe(
      'subscribed, subscription_requested, confirmed, unsubscribed, preferences_changed, paused, ' +
        'bounced, complained, …',
    ),
  source: z.string().describe('api, import, form, link, preferences, ses, …'),
  language: z.string().nullable().describe('Language of the text the person saw'),
  campaignId: z.number().nullable(),
  at: z.string(),
});
export type ConsentEvent = z.infer<typeof ConsentEvent>;

export const SubscriberWithConsent = Subscriber.extend({ consent: z.array(ConsentEvent) });
export type SubscriberWithConsent = z.infer<typeof SubscriberWithConsent>;

/** Counting matches stops here, so that a page costs the same however many match. */
export const TOTAL_CAP = 10_000;

/** The filters of the subscribers list and of the CSV export. */
export const SubscriberQuery = z.strictObject({
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .optional()
    .describe('Part of the address, case-insensitive; one or two characters find the addresses that start with them'),
  status: SubscriberStatus.optional(),
  topic: TopicKey.optional(),
  language: LanguageCode.optional(),
  tag: Tag.optional(),
});
export type SubscriberQuery = z.infer<typeof SubscriberQuery>;

export const SubscriberFilter = SubscriberQuery.extend({
  cursor: PageCursorToken.optional(),
  perPage: z.coerce.number().int().min(1, 'must be 1 or more').max(500, 'must be at most 500').default(50),
});
export type SubscriberFilter = z.infer<typeof SubscriberFilter>;

export const SubscriberPage = z.object({
  data: z.array(Subscriber).describe('In the order they were added (by id)'),
  perPage: z.number(),
  next: z.string().nullable().describe('`cursor` of the page after this one; null on the last page'),
  previous: z.string().nullable().describe('`cursor` of the page before this one; null on the first page'),
  total: z.number().describe(`The subscribers that match, counted up to ${TOTAL_CAP.toLocaleString('en')}`),
  totalCapped: z.boolean().describe(`True when more than \`total\` match: the count stopped there`),
});
export type SubscriberPage = z.infer<typeof SubscriberPage>;

export const ImportProblem = z.object({
  line: z.number().describe('The line the row starts on'),
  lastLine: z
    .number()
    .optional()
    .describe(
      "For a quote never closed: the file's last line, which it took; each line from `line` on is a row not imported",
    ),
  email: z.string().optional(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportReport = z.object({
  rows: z
    .number()
    .describe('Data rows read, not counting the header; each line a quote that is never closed took counts as one'),
  created: z.number(),
  merged: z.number().describe('Rows that matched an existing subscriber or an earlier row, and were merged into it'),
  failed: z.number(),
  confirmationsQueued: z
    .number()
    .optional()
    .describe('With confirm=true: the confirmation mails queued, one per new pending subscriber'),
  errors: z
    .array(ImportProblem)
    .describe('The first problems, in file order (a long list is cut short); `failed` counts them all'),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** Addresses one JSON request may tag; a longer list goes as CSV, which is read as it streams. */
export const MAX_TAGGED_EMAILS = 10_000;

export const TagAction = z.enum(['add', 'remove']);
export type TagAction = z.infer<typeof TagAction>;

/** The CSV form names its tag and action in the query string. */
export const BulkTagQuery = z.strictObject({ tag: Tag, action: TagAction });
export type BulkTagQuery = z.infer<typeof BulkTagQuery>;

/**
 * The JSON form. An address that is not one is reported in the answer by its index, like a bad
 * row of a CSV file, rather than refusing the list: the rest are tagged.
 */
export const BulkTagRequest = z.strictObject({
  tag: Tag,
  action: TagAction,
  emails: z
    .array(z.string())
    .max(MAX_TAGGED_EMAILS, `must hold at most ${MAX_TAGGED_EMAILS.toLocaleString('en')} addresses; send CSV instead`),
});
export type BulkTagRequest = z.infer<typeof BulkTagRequest>;

export const BulkTagProblem = z.object({
  line: z.number().optional().describe('CSV: the line the row starts on'),
  lastLine: z.number().optional().describe('CSV: for a quote never closed, the last line it took'),
  index: z.number().optional().describe('JSON: the position of the address in `emails`, from 0'),
  email: z.string().optional(),
  message: z.string(),
});
export type BulkTagProblem = z.infer<typeof BulkTagProblem>;

export const BulkTagReport = z.object({
  tag: z.string(),
  action: TagAction,
  matched: z.number().describe('Distinct addresses that found a subscriber: `changed` + `unchanged`'),
  changed: z.number().describe('Subscribers who gained the tag (add) or lost it (remove)'),
  unchanged: z.number().describe('Subscribers who already had it (add) or did not have it (remove)'),
  notFound: z
    .number()
    .describe('Distinct addresses of no subscriber (erased and suppressed ones too); no one is ever created'),
  duplicates: z.number().describe('Addresses given again after their first time, counted once'),
  failed: z.number().describe('Rows or items that are not an address, or could not be read'),
  errors: z
    .array(BulkTagProblem)
    .describe('The first problems, in order (a long list is cut short); `failed` counts them all'),
});
export type BulkTagReport = z.infer<typeof BulkTagReport>;

export const AudiencePreview = z.object({
  selected: z.number(),
  eligible: z.number(),
  excluded: z.object(
    Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.number()])) as Record<ExclusionReason, z.ZodNumber>,
  ),
  byLanguage: z.record(z.string(), z.number()),
  sample: z.array(z.object({ id: z.number(), email: z.string(), name: z.string(), language: z.string() })),
});
export type AudiencePreview = z.infer<typeof AudiencePreview>;

/** One conditional block of a bulletin, as the preview counts it: how many eligible readers see it. */
export const BlockReach = z.object({
  index: z.number().describe("The block's position in the bulletin, from 0"),
  type: z.string().describe('The block type, e.g. call_to_action'),
  shown: z.number().describe("Eligible readers who match the block's audience too"),
});
export type BlockReach = z.infer<typeof BlockReach>;

/** The preview with `bulletinId`: the counts, and each block with an audience. */
export const AudiencePreviewWithBlocks = AudiencePreview.extend({
  blocks: z
    .array(BlockReach)
    .optional()
    .describe('With bulletinId: each block that has an audience, with how many of the eligible readers see it'),
});
export type AudiencePreviewWithBlocks = z.infer<typeof AudiencePreviewWithBlocks>;

export const SuppressionReason = z.enum(SUPPRESSION_REASONS);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

export const Suppression = z.object({
  hash: z.string().describe('HMAC-SHA256 of the address: the list never holds the address itself'),
  reason: SuppressionReason,
  createdAt: z.string(),
});
export type Suppression = z.infer<typeof Suppression>;

export const SuppressionPage = z.object({ data: z.array(Suppression), total: z.number() });
export type SuppressionPage = z.infer<typeof SuppressionPage>;
