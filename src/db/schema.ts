// Table types for Kysely. Timestamps are ISO-8601 strings on both databases (text on SQLite,
// timestamptz read back as ISO on PostgreSQL); JSON columns are text on SQLite and jsonb on
// PostgreSQL, so stores write JSON strings and read with parseJson. Booleans are 0/1 integers on
// both, since better-sqlite3 cannot bind booleans.
import type { Generated } from 'kysely';

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** Where a consent event came from: staff or an integration (`api`, `import`), the person, or SES. */
export const CONSENT_SOURCES = ['api', 'import', 'form', 'link', 'preferences', 'ses'] as const;

/** From the least to the most trusted: each role may do all the ones before it may (0019-writer-role). */
export const STAFF_ROLES = ['writer', 'editor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Whether `role` may do what `needed` may. */
export function roleAtLeast(role: StaffRole, needed: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(needed);
}

export const SUPPRESSION_REASONS = ['erased', 'bounced', 'complained', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** A JSON value as the driver returns it: a string on SQLite, parsed on PostgreSQL. */
export type JsonColumn = unknown;

export interface SubscribersTable {
  id: Generated<number>;
  /** Lower-cased on the way in, so the UNIQUE constraint is case-insensitive. */
  email: string;
  name: string;
  language: string;
  status: SubscriberStatus;
  attributes: JsonColumn;
  /** HMAC of the email, as the suppression list keeps it; set on every write. */
  email_hash: string | null;
  /** The subscriber asked for no mail until then. */
  paused_until: string | null;
  /** Soft bounces since the last delivery; past TRANSIENT_BOUNCE_LIMIT the address is suppressed. */
  transient_bounces: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SubscriberTagsTable {
  subscriber_id: number;
  tag: string;
}

export interface TopicsTable {
  id: Generated<number>;
  key: string;
  /** Localised text: {"en": "...", "es": "..."} */
  name: JsonColumn;
  description: JsonColumn;
  public: number;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionsTable {
  subscriber_id: number;
  topic_id: number;
  created_at: string;
}

export interface ConsentEventsTable {
  id: Generated<number>;
  subscriber_id: number;
  /** What happened: subscribed, confirmed, imported, unsubscribed, ... */
  event: string;
  /** Where it happened: api, import, form, cli, ... */
  source: string;
  /** Language of the consent text the person saw, when there was one. */
  language: string | null;
  /** The campaign whose link the person used (an unsubscribe from a bulletin). */
  campaign_id: number | null;
  created_at: string;
}

export interface StaffUsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: StaffRole;
  created_at: string;
  /** JSON array of the addresses this person sends test copies to. */
  test_addresses: Generated<JsonColumn>;
  last_sign_in_at: string | null;
  /** Wrong passwords given for this account since its last sign-in, told to the person then. */
  failed_sign_ins: Generated<number>;
}

export interface StaffSessionsTable {
  /** SHA-256 (hex) of the session token; the token itself is only in the browser's cookie. */
  id_hash: string;
  staff_id: number;
  created_at: string;
  /** Written at most once a minute; a session unused for 12 hours ends. */
  last_seen_at: string;
  /** Seven days after created_at, however busy the session. */
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  /** Public half of the token, used to find the row; the secret half is only kept hashed. */
  lookup: string;
  secret_hash: string;
  name: string;
  role: StaffRole;
  created_at: string;
  last_used_at: string | null;
  /** The staff member who made the token from a session; null from the CLI, another token, or once they are deleted. */
  created_by: number | null;
  /** From then on the token is refused; null, it works until revoked. */
  expires_at: string | null;
}

export interface SuppressionsTable {
  /** HMAC-SHA256 of the lower-cased email, keyed by APP_SECRET: no address is kept. */
  email_hash: string;
  reason: SuppressionReason;
  created_at: string;
}

export interface SettingsTable {
  id: number;
  data: JsonColumn;
  updated_at: string;
}

/** A first-run step reached that leaves no other trace (the first test copy sent). */
export interface SetupProgressTable {
  step: string;
  reached_at: string;
}

export interface BulletinsTable {
  id: Generated<number>;
  /** Copied from the current version's document, for lists. */
  title: string;
  current_version: number;
  created_at: string;
  updated_at: string;
}

export interface BulletinVersionsTable {
  id: Generated<number>;
  bulletin_id: number;
  /** 1, 2, 3, … per bulletin */
  version: number;
  document: JsonColumn;
  /** "ana@example.org" or "token: ci-bot"; null for versions saved before 0015. */
  saved_by: string | null;
  created_at: string;
}

/** A language of a bulletin that staff marked ready to send (the fallback language needs no mark). */
export interface BulletinReadyLanguagesTable {
  bulletin_id: number;
  language: string;
  /** As bulletin_versions.saved_by. */
  marked_by: string | null;
  marked_at: string;
}

/** A translation staff marked still correct for one text of the fallback language. */
export interface TranslationConfirmationsTable {
  bulletin_id: number;
  /** The field's name within its block ("body") or the bulletin's ("subject"), without the block's place. */
  field: string;
  language: string;
  /** SHA-256 (hex) of the fallback language's text then. */
  fallback_sha256: string;
  confirmed_by: string | null;
  confirmed_at: string;
}

export interface SegmentsTable {
  id: Generated<number>;
  name: string;
  rule: JsonColumn;
  rule_version: number;
  created_at: string;
  updated_at: string;
}

export const CAMPAIGN_STATES = [
  'scheduled',
  'preparing',
  'sending',
  'paused',
  'sent',
  'cancelled',
  'failed',
  // A send that needs another staff member's approval first (src/sending/send-policy.ts), and its two ends
  // without mail: declined by an approver, or withdrawn because the bulletin changed after the request.
  'awaiting_approval',
  'declined',
  'withdrawn',
] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
/** States in which a campaign may still send (a request awaiting approval too). */
export const LIVE_CAMPAIGN_STATES = [
  'awaiting_approval',
  'scheduled',
  'preparing',
  'sending',
  'paused',
] as const satisfies readonly CampaignState[];

/** 'urgent': the campaign's batches run before every normal campaign's waiting batches. */
export const CAMPAIGN_PRIORITIES = ['normal', 'urgent'] as const;
export type CampaignPriority = (typeof CAMPAIGN_PRIORITIES)[number];

/** 'welcome': the welcome mail's campaign (docs/integrations.md), never in the list of sends nor the archive. */
export const CAMPAIGN_KINDS = ['bulletin', 'welcome'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped', 'unknown', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface CampaignsTable {
  id: Generated<number>;
  bulletin_id: number;
  bulletin_version_id: number;
  segment_id: number | null;
  rule: JsonColumn;
  topic: string | null;
  state: CampaignState;
  tracking: 'aggregate' | 'off';
  scheduled_at: string;
  started_at: string | null;
  finished_at: string | null;
  state_reason: string | null;
  consecutive_errors: Generated<number>;
  run: Generated<number>;
  templates: JsonColumn | null;
  /** 1 when staff published the send in the public archive (never for a private topic). */
  archive: Generated<number>;
  /** Who asked for a send that needs approval ('staff' or 'token', and its id); null for a direct send. */
  requested_by_kind: 'staff' | 'token' | null;
  requested_by_id: number | null;
  /** How many people the rule reached when the approval was asked for. */
  requested_audience: number | null;
  /** The settings' logo when the campaign started ('' for none): its mail and archive pages show it. */
  logo_url: string | null;
  /** 'urgent': its batches run before every normal campaign's waiting batches (docs/sending.md). */
  priority: Generated<CampaignPriority>;
  /** 'welcome': the welcome mail's campaign, open while it is on, a row per person who confirms (0026). */
  kind: Generated<CampaignKind>;
  created_at: string;
  updated_at: string;
}

/** The public archive's copy of a published campaign in one of its languages, rendered when it was prepared. */
export interface ArchivePagesTable {
  campaign_id: number;
  language: string;
  html: string;
  created_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  campaign_id: number;
  subscriber_id: number | null;
  language: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  message_id: string | null;
  last_error: string | null;
  claim: string | null;
  sent_at: string | null;
  /** When SES reported the message delivered. */
  delivered_at: string | null;
  updated_at: string;
}

/**
 * A campaign's ledger rows of one status and language, counted: kept by DeliveryTallies in the
 * transaction of every change to them, so the report reads these instead of the ledger.
 */
export interface DeliveryTalliesTable {
  campaign_id: number;
  status: DeliveryStatus;
  language: string;
  deliveries: number;
  /** Of them, those with a sent_at. */
  sent: number;
  /** Of them, those with a delivered_at. */
  delivered: number;
  /** The earliest and latest sent_at among them (a row's sent_at is written once, never cleared). */
  first_sent_at: string | null;
  last_sent_at: string | null;
}

/** The welcome mail's one row (id 1): the bulletin marked as it, and its live campaign (null while off). */
export interface WelcomeMailTable {
  id: number;
  bulletin_id: number | null;
  campaign_id: number | null;
  updated_at: string;
}

/** Each person given a welcome mail, once ever: the ledger row is in `campaign_id`. */
export interface WelcomeRecipientsTable {
  subscriber_id: number;
  campaign_id: number;
  created_at: string;
}

export interface CampaignLinksTable {
  id: Generated<number>;
  campaign_id: number;
  /** Index of the block the link is in. */
  block: number;
  url: string;
  /** Every click on the link, whatever the language (links mailed before 0017 name none). */
  clicks: Generated<number>;
}

/** A tracked link's clicks from the mail in one language. */
export interface CampaignLinkClicksTable {
  link_id: number;
  language: string;
  clicks: Generated<number>;
}

export interface SnsMessagesTable {
  /** SNS MessageId: a notification SNS delivers twice is applied once. */
  message_id: string;
  type: string;
  received_at: string;
}

/** A request from the public form by someone who had unsubscribed, applied only when they confirm it. */
export interface SubscribeRequestsTable {
  id: Generated<number>;
  subscriber_id: number;
  name: string;
  language: string;
  /** JSON array of the public topics' keys. */
  topics: JsonColumn;
  /** The language of the form, for the consent log. */
  page_language: string;
  created_at: string;
}

/** A block or a whole bulletin (a template) saved in the library by name, to be copied into bulletins. */
export interface LibraryItemsTable {
  id: Generated<number>;
  kind: 'block' | 'template';
  name: string;
  /** The block, or the bulletin document, as JSON. */
  content: JsonColumn;
  created_by_kind: 'staff' | 'token';
  /** The staff member's email or the API token's name when the item was saved. */
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One entry of the audit trail (src/audit/audit-log.ts). */
export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_kind: 'staff' | 'token' | 'anonymous';
  /** The staff member's or the token's id; null for "anonymous". */
  actor_id: number | null;
  /** The staff member's email or the token's name then; "anonymous" for a failed sign-in by no account. */
  actor_name: string;
  action: string;
  target_type: string | null;
  target_id: number | null;
  /** A small JSON object; never a subscriber's address. */
  details: JsonColumn;
}

/** An image of the media library (src/media/media-store.ts); its files are in the media store. */
export interface MediaTable {
  id: Generated<number>;
  /** The 1x file's name, `<sha256>.<ext>`: the same image uploaded twice is one row. */
  name: string;
  /** The 2x file's name, `<sha256>-2x.<ext>`. */
  name2x: string;
  type: 'jpeg' | 'png' | 'gif';
  width: number;
  height: number;
  bytes: number;
  bytes2x: number;
  /** The uploaded file's name (trimmed, at most 200 characters), for display only. */
  original_name: string;
  created_by_kind: 'staff' | 'token';
  /** The staff member's email or the API token's name when it was uploaded. */
  created_by: string;
  created_at: string;
}

/** Where admins asked for events to go (docs/integrations.md). */
export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  description: Generated<string>;
  /** The event types it receives, a JSON array. */
  events: JsonColumn;
  /** `whsec_…`, shown once when the endpoint is added; signs every delivery. */
  secret: string;
  enabled: Generated<number>;
  disabled_reason: string | null;
  /** Since when its deliveries fail without a success; null while it answers. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** The outbox: an event, written in the transaction of what it describes. */
export interface WebhookEventsTable {
  id: Generated<number>;
  type: string;
  /** The JSON body every endpoint gets, `{ type, timestamp, data }`, as text: sent as written. */
  payload: string;
  /** The subscriber it is about, if any (no foreign key: `subscriber.erased` outlives the row). */
  subscriber_id: number | null;
  /** When it was handed to the endpoints that take its type. */
  dispatched_at: string | null;
  created_at: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event to one endpoint: the delivery log. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event_id: number;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  response_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Tables {
  subscribers: SubscribersTable;
  subscriber_tags: SubscriberTagsTable;
  topics: TopicsTable;
  subscriptions: SubscriptionsTable;
  consent_events: ConsentEventsTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  api_tokens: ApiTokensTable;
  suppressions: SuppressionsTable;
  settings: SettingsTable;
  bulletins: BulletinsTable;
  bulletin_versions: BulletinVersionsTable;
  bulletin_ready_languages: BulletinReadyLanguagesTable;
  translation_confirmations: TranslationConfirmationsTable;
  segments: SegmentsTable;
  campaigns: CampaignsTable;
  deliveries: DeliveriesTable;
  campaign_links: CampaignLinksTable;
  campaign_link_clicks: CampaignLinkClicksTable;
  archive_pages: ArchivePagesTable;
  sns_messages: SnsMessagesTable;
  subscribe_requests: SubscribeRequestsTable;
  library_items: LibraryItemsTable;
  setup_progress: SetupProgressTable;
  audit_events: AuditEventsTable;
  media: MediaTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  welcome_mail: WelcomeMailTable;
  welcome_recipients: WelcomeRecipientsTable;
  delivery_tallies: DeliveryTalliesTable;
}

export function parseJson<T>(value: JsonColumn): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function nowIso(): string {
  return new Date().toISOString();
}
