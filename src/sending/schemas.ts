// What the campaigns API answers: a campaign, the list, its report, the comparison with earlier
// sends, test sends and retries. The stores, the service, the routes and the staff app (with
// `import type`) take their types from here, and so does the OpenAPI document.
import { z } from 'zod';
import { AuditAction, AuditActor } from '../audit/schemas.js';
import { RuleSchema } from '../audience/rules.js';
import {
  CAMPAIGN_KINDS,
  CAMPAIGN_PRIORITIES,
  CAMPAIGN_STATES,
  DELIVERY_STATUSES,
  TRACKING_MODES,
} from './campaign-states.js';

export const CampaignState = z.enum(CAMPAIGN_STATES);
export type CampaignState = z.infer<typeof CampaignState>;
export const Tracking = z.enum(TRACKING_MODES).describe('"off" for a sensitive send: no link is counted');
export type Tracking = z.infer<typeof Tracking>;
export const Priority = z
  .enum(CAMPAIGN_PRIORITIES)
  .describe(
    '"urgent": its batches go before every normal campaign’s waiting batches, which continue after; ' +
      'the account’s send rate is shared, never exceeded',
  );
export type Priority = z.infer<typeof Priority>;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const Campaign = z.object({
  id: z.number(),
  bulletinId: z.number(),
  bulletinVersionId: z.number(),
  segmentId: z.number().nullable(),
  rule: RuleSchema,
  topic: z.string().nullable(),
  state: CampaignState,
  tracking: Tracking,
  archive: z.boolean().describe('Published in the public archive, where its page was stored when it was prepared'),
  priority: Priority,
  kind: z
    .enum(CAMPAIGN_KINDS)
    .describe('"welcome": the welcome mail’s campaign, open while it is on, a mail to each person who confirms'),
  scheduledAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  stateReason: z
    .string()
    .nullable()
    .describe('Why the campaign is paused or failed; the approver’s comment when declined; why it was withdrawn'),
  run: z.number(),
  requestedBy: z
    .object({ kind: z.enum(['staff', 'token']), id: z.number() })
    .nullable()
    .describe('Who asked for a send that needed approval; null for a send that did not'),
  requestedAudience: z.number().nullable().describe('How many people the send reached when approval was asked for'),
  createdAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

/** A campaign's ledger rows counted by status, and in all. */
export const Counts = z
  .record(z.enum([...DELIVERY_STATUSES, 'total']), z.number())
  .describe('Ledger rows by delivery status, and their total');
export type Counts = z.infer<typeof Counts>;

/**
 * What became of a campaign's mail after SES took it: deliveries SES reported, and the people
 * whose address bounced for good, who complained or who unsubscribed through its links (each
 * counted once, from the consent log; an erased subscriber leaves no trace there).
 */
export const Outcomes = z.object({
  delivered: z.number().describe('Messages SES reported delivered'),
  bounced: z.number().describe('People whose address bounced for good'),
  complained: z.number().describe('People who marked it as spam'),
  unsubscribed: z.number().describe('People who unsubscribed through its links'),
});
export type Outcomes = z.infer<typeof Outcomes>;

/** A campaign's mail in one language: how much was sent, what became of it, how often its links were followed. */
export const LanguageResults = z.object({
  sent: z.number().describe('Messages in this language handed to SES'),
  ...Outcomes.shape,
  clicks: z.number().nullable().describe('Clicks on tracked links in mail of this language; null without tracking'),
});
export type LanguageResults = z.infer<typeof LanguageResults>;

/** A campaign in the list: its bulletin's title and its ledger counts by status. */
export const CampaignListItem = Campaign.extend({ bulletinTitle: z.string(), counts: Counts });
export type CampaignListItem = z.infer<typeof CampaignListItem>;

export const CampaignList = z.object({ data: z.array(CampaignListItem) });
export type CampaignList = z.infer<typeof CampaignList>;

const rate = z.number().nullable();

/** A campaign beside others: how many were sent, what became of them, and each as a share of sent. */
export const CampaignSummary = z.object({
  id: z.number(),
  bulletinId: z.number(),
  bulletinTitle: z.string(),
  tracking: Tracking,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  sent: z.number(),
  ...Outcomes.shape,
  clicks: z.number().nullable().describe('Clicks on tracked links; null for a send without tracking'),
  rates: z
    .object({ delivered: rate, bounced: rate, complained: rate, unsubscribed: rate, clicks: rate })
    .nullable()
    .describe(
      'Each count divided by sent (clicks may pass 1: one reader can click many times); null before anything was sent',
    ),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const Comparison = z.object({ campaign: CampaignSummary, previous: z.array(CampaignSummary) });
export type Comparison = z.infer<typeof Comparison>;

export const CampaignReport = Campaign.extend({
  counts: Counts,
  byLanguage: z.record(z.string(), z.partialRecord(DeliveryStatus, z.number())),
  rate: z.number().nullable().describe('Messages sent per second since the first one; null before it'),
  lastErrors: z.array(z.object({ deliveryId: z.number(), status: DeliveryStatus, error: z.string(), at: z.string() })),
  links: z
    .array(
      z.object({
        block: z.number(),
        url: z.string(),
        clicks: z.number().describe('Every click on the link'),
        byLanguage: z
          .record(z.string(), z.number())
          .describe(
            'Clicks by the language of the mail followed from; clicks on links mailed before the language ' +
              'was in them are in `clicks` only',
          ),
      }),
    )
    .describe('Clicks per block and link, in aggregate'),
  outcomes: Outcomes.describe('What SES and the consent log say became of the mail; each person counted once'),
  outcomesByLanguage: z
    .record(z.string(), LanguageResults)
    .describe('The same by the language of the mail each reader got, with what was sent and clicked'),
  history: z
    .array(z.object({ action: AuditAction, by: AuditActor, at: z.string() }))
    .describe(
      'Who sent (or scheduled), rescheduled, paused, resumed and cancelled the campaign, oldest first, ' +
        'as the audit trail keeps it (AUDIT_RETENTION_DAYS)',
    ),
});
export type CampaignReport = z.infer<typeof CampaignReport>;

export const TestSend = z.object({
  to: z.string(),
  lang: z.string().describe("The copy's language, as its subject says: [TEST ES] for es"),
  messageId: z.string(),
});
export type TestSend = z.infer<typeof TestSend>;

export const TestSendAnswer = z.object({
  sent: z.array(TestSend).describe("One entry per copy: each language's copies in turn, each to every address"),
});
export type TestSendAnswer = z.infer<typeof TestSendAnswer>;

export const RetryAnswer = z.object({ requeued: z.number(), campaign: Campaign });
export type RetryAnswer = z.infer<typeof RetryAnswer>;

/** The welcome mail: the bulletin marked as it, whether it is on, and its campaigns (their pages are its report). */
export const WelcomeMailStatus = z.object({
  enabled: z.boolean().describe('Whether each person who confirms from now on gets the welcome mail'),
  bulletinId: z.number().nullable().describe('The bulletin marked as the welcome mail; null before any was'),
  bulletinTitle: z.string().nullable(),
  campaignId: z.number().nullable().describe('The live welcome campaign, whose page is its report; null while off'),
  outdated: z
    .boolean()
    .describe('The bulletin was saved since the welcome mail was turned on: turn it on again to send the new version'),
  campaigns: z
    .array(z.object({ id: z.number(), state: CampaignState, createdAt: z.string() }))
    .describe('The welcome mail’s campaigns, newest first: one per version turned on'),
});
export type WelcomeMailStatus = z.infer<typeof WelcomeMailStatus>;
