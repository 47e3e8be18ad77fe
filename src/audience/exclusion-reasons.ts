// Why a subscriber a rule selects gets no mail. Without zod, so the staff app can list them too.

/** In the order they are checked: a subscriber is counted under the first that applies. */
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
