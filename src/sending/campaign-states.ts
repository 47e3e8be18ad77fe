// A campaign's states, its tracking and its deliveries' statuses, without zod: the staff app reads
// them too. The states and statuses themselves are the database's (src/db/schema.ts).
import type { CampaignState, DeliveryStatus } from '../db/schema.js';

export {
  CAMPAIGN_KINDS,
  CAMPAIGN_PRIORITIES,
  CAMPAIGN_STATES,
  DELIVERY_STATUSES,
  type CampaignKind,
  type CampaignPriority,
  type CampaignState,
  type DeliveryStatus,
} from '../db/schema.js';

/** "off" for a sensitive send: no link is counted. */
export const TRACKING_MODES = ['aggregate', 'off'] as const;
export type Tracking = (typeof TRACKING_MODES)[number];

/** States after which nothing more happens (unless staff retry a sent one). */
export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = ['sent', 'cancelled', 'failed', 'declined', 'withdrawn'];

/** Messages SES took, and messages that will not go (failed, skipped, unknown, cancelled): all but the waiting ones. */
export function settled(counts: Record<DeliveryStatus | 'total', number>): number {
  return counts.total - counts.queued - counts.sending;
}
