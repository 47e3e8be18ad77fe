// The webhooks API's shapes. The store, the routes and the staff app (with `import type`) take
// their types from here, and so does the OpenAPI document.
import { z } from 'zod';
import { WEBHOOK_DELIVERY_STATUSES } from '../db/schema.js';
import { WebhookEventType } from './events.js';

const Events = z
  .array(WebhookEventType)
  .min(1, 'must name at least one event')
  .refine((events) => new Set(events).size === events.length, 'must not name an event twice')
  .describe('The event types the endpoint receives');

export const WebhookEndpointInput = z.strictObject({
  url: z.string().trim().max(2000).describe('Where events are POSTed: https (http to loopback outside production)'),
  description: z.string().trim().max(200).default('').describe('What the endpoint is, for people'),
  events: Events,
});
export type WebhookEndpointInput = z.infer<typeof WebhookEndpointInput>;

export const WebhookEndpointChange = WebhookEndpointInput.partial().extend({
  enabled: z.boolean().optional().describe('Enabling an endpoint again forgets its run of failures'),
});
export type WebhookEndpointChange = z.infer<typeof WebhookEndpointChange>;

export const WebhookEndpoint = z.object({
  id: z.number(),
  url: z.string(),
  description: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable().describe('Since when every delivery has failed; null while it answers'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const CreatedWebhookEndpoint = WebhookEndpoint.extend({
  secret: z.string().describe('`whsec_…`: shown this once; the receiver verifies signatures with it'),
});

export const WebhookDelivery = z.object({
  id: z.number(),
  eventId: z.number(),
  messageId: z.string().describe('The `webhook-id` header: the same on every retry'),
  type: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number(),
  responseCode: z.number().nullable().describe('The HTTP status of the last attempt; null when none came'),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
