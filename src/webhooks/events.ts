// What a webhook says: the event types and the body of each, as zod schemas. They type what the
// outbox writes, and their JSON Schema is published at /api/schemas/webhook-events.json, so the
// documentation and the deliveries cannot drift apart.
import { z } from 'zod';
import { CAMPAIGN_KINDS, CAMPAIGN_STATES, CONSENT_SOURCES, SUBSCRIBER_STATUSES } from '../db/schema.js';
import { EVENT_MEANINGS, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from './event-types.js';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

const Subscriber = z.strictObject({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.enum(SUBSCRIBER_STATUSES),
});

export const SubscriberEventData = z.strictObject({
  subscriber: Subscriber,
  /** Where the change came from: `api` and `import` are staff or an integration, the rest the person or SES. */
  source: z.enum(CONSENT_SOURCES),
  /** The campaign whose mail or link led to it (an unsubscribe link, a bounce), if any. */
  campaignId: z.number().int().nullable(),
});
export type SubscriberEventData = z.infer<typeof SubscriberEventData>;

/** An erased subscriber: only what a CRM needs to erase them too. */
export const ErasedEventData = z.strictObject({
  subscriber: z.strictObject({ id: z.number().int(), email: z.string() }),
});
export type ErasedEventData = z.infer<typeof ErasedEventData>;

export const CampaignEventData = z.strictObject({
  campaign: z.strictObject({
    id: z.number().int(),
    bulletinId: z.number().int(),
    /** `welcome`: the welcome mail's campaign, started when it is turned on and finished when it is turned off. */
    kind: z.enum(CAMPAIGN_KINDS),
    state: z.enum(CAMPAIGN_STATES),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  }),
});
export type CampaignEventData = z.infer<typeof CampaignEventData>;

export const TestEventData = z.strictObject({ message: z.string() });

function envelope<T extends keyof typeof EVENT_MEANINGS, D extends z.ZodType>(type: T, data: D) {
  return z
    .strictObject({ type: z.literal(type), timestamp: z.iso.datetime(), data })
    .meta({ description: EVENT_MEANINGS[type] });
}

/** Every body an endpoint may receive, by type. */
export const WebhookPayload = z.discriminatedUnion('type', [
  envelope('subscriber.created', SubscriberEventData),
  envelope('subscriber.confirmed', SubscriberEventData),
  envelope('subscriber.updated', SubscriberEventData),
  envelope('subscriber.unsubscribed', SubscriberEventData),
  envelope('subscriber.bounced', SubscriberEventData),
  envelope('subscriber.complained', SubscriberEventData),
  envelope('subscriber.erased', ErasedEventData),
  envelope('campaign.started', CampaignEventData),
  envelope('campaign.finished', CampaignEventData),
  envelope(TEST_EVENT_TYPE, TestEventData),
]);
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** The JSON Schema of every body, as published at /api/schemas/webhook-events.json. */
export function webhookEventsSchema() {
  return {
    $id: 'https://pregon.dev/schemas/webhook-events-v1.json',
    title: 'Pregón webhook events, v1',
    ...z.toJSONSchema(WebhookPayload, { io: 'output' }),
  };
}
