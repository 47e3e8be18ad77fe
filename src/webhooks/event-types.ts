// The webhook event types and what each means, without zod: the staff app lists them for admins
// to choose from, and events.ts builds the bodies' schemas on them.

export const SUBSCRIBER_EVENT_TYPES = [
  'subscriber.created',
  'subscriber.confirmed',
  'subscriber.updated',
  'subscriber.unsubscribed',
  'subscriber.bounced',
  'subscriber.complained',
  'subscriber.erased',
] as const;
export const CAMPAIGN_EVENT_TYPES = ['campaign.started', 'campaign.finished'] as const;
/** The types an endpoint may ask for. */
export const WEBHOOK_EVENT_TYPES = [...SUBSCRIBER_EVENT_TYPES, ...CAMPAIGN_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type SubscriberEventType = (typeof SUBSCRIBER_EVENT_TYPES)[number];
export type CampaignEventType = (typeof CAMPAIGN_EVENT_TYPES)[number];
/** Sent only by "Send a test event", to the one endpoint asked. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** What each event means, for the schema and for admins choosing what an endpoint receives. */
export const EVENT_MEANINGS: Record<WebhookEventType | typeof TEST_EVENT_TYPE, string> = {
  'subscriber.created': 'Someone was added: by the form (pending), the API or an import.',
  'subscriber.confirmed': 'A pending subscriber confirmed, or someone who had left rejoined.',
  'subscriber.updated': 'Language, topics or pause changed on the preferences page, or staff changed a status.',
  'subscriber.unsubscribed': 'Unsubscribed by their link or by staff.',
  'subscriber.bounced': 'Their address bounced for good; no more mail goes to it.',
  'subscriber.complained': 'They marked a mail as spam; no more mail goes to them.',
  'subscriber.erased': 'Erased: delete what you hold about them too.',
  'campaign.started': 'A send started preparing.',
  'campaign.finished': 'A send that had started ended: sent, cancelled or failed.',
  [TEST_EVENT_TYPE]: 'Sent by “Send a test event” to one endpoint.',
};
