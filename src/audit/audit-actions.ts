// The audit trail's closed lists, zod-free so the staff app reads them at run time too. Append to
// AUDIT_ACTIONS freely: the column has no CHECK, and the screen names an unknown word as it is.
export const AUDIT_ACTIONS = [
  'signed_in',
  'sign_in_failed',
  'campaign_sent',
  'campaign_scheduled',
  'campaign_rescheduled',
  'campaign_paused',
  'campaign_resumed',
  'campaign_cancelled',
  'subscribers_exported',
  'subscriber_erased',
  'subscribers_tagged',
  'confirmation_resent',
  'settings_changed',
  'staff_created',
  'staff_changed',
  'staff_deleted',
  'token_created',
  'token_revoked',
  'campaign_approval_requested',
  'campaign_approved',
  'campaign_declined',
  'campaign_withdrawn',
  'media_uploaded',
  'media_deleted',
  'webhook_created',
  'webhook_changed',
  'webhook_deleted',
  'welcome_mail_turned_on',
  'welcome_mail_turned_off',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_KINDS = ['staff', 'token', 'anonymous'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export const AUDIT_TARGET_TYPES = ['campaign', 'subscriber', 'settings', 'staff', 'token', 'media', 'webhook'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
