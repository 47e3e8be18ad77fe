// What the sending screens read from the server: campaigns, their report and comparison, audience
// previews and segments (the shapes of src/sending/routes.ts and src/audience/audience-routes.ts).
import type { Rule } from './rule-model';

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped', 'unknown', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type CampaignState = 'scheduled' | 'preparing' | 'sending' | 'paused' | 'sent' | 'cancelled' | 'failed';
/** States after which nothing more happens (unless staff retry a sent one). */
export const FINAL_STATES: readonly CampaignState[] = ['sent', 'cancelled', 'failed'];

export type Tracking = 'aggregate' | 'off';

export interface Campaign {
  id: number;
  bulletinId: number;
  bulletinVersionId: number;
  segmentId: number | null;
  rule: Rule;
  topic: string | null;
  state: CampaignState;
  tracking: Tracking;
  scheduledAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  stateReason: string | null;
  run: number;
  createdAt: string;
}

export type Counts = Record<DeliveryStatus | 'total', number>;

export interface CampaignListItem extends Campaign {
  bulletinTitle: string;
  counts: Counts;
}

export interface Outcomes {
  delivered: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
}

export interface CampaignReport extends Campaign {
  counts: Counts;
  byLanguage: Record<string, Partial<Record<DeliveryStatus, number>>>;
  rate: number | null;
  lastErrors: { deliveryId: number; status: DeliveryStatus; error: string; at: string }[];
  links: { block: number; url: string; clicks: number }[];
  outcomes: Outcomes;
}

export interface CampaignSummary extends Outcomes {
  id: number;
  bulletinId: number;
  bulletinTitle: string;
  tracking: Tracking;
  startedAt: string | null;
  finishedAt: string | null;
  sent: number;
  clicks: number | null;
  rates: Record<keyof Outcomes | 'clicks', number | null> | null;
}

export interface Comparison {
  campaign: CampaignSummary;
  previous: CampaignSummary[];
}

export const EXCLUSION_REASONS = [
  'unsubscribed',
  'unconfirmed',
  'bounced',
  'complained',
  'paused',
  'suppressed',
  'not_in_topic',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface AudiencePreview {
  selected: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  byLanguage: Record<string, number>;
  sample: { id: number; email: string; name: string; language: string }[];
}

export interface Segment {
  id: number;
  name: string;
  rule: Rule;
  ruleVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** A pre-send check's result (GET /api/bulletins/:id/checks, and the 422 of a send). */
export interface Finding {
  level: 'error' | 'warning';
  code: string;
  message: string;
  language?: string;
  block?: number;
  field?: string;
}

/** Messages SES took, and messages that will not go (failed, skipped, unknown, cancelled): all but the waiting ones. */
export function settled(counts: Counts): number {
  return counts.total - counts.queued - counts.sending;
}
