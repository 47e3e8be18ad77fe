// An audit entry as a sentence staff read: "ana@example.org paused campaign 12". Pure, so it is
// tested alone; dates are left to the screen.
import type { AuditEntry } from '../../audit/schemas.js';

const numberFormat = new Intl.NumberFormat('en');
const timeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
/** A time in the entry's details; UTC, said so, since the screen's own dates are local. */
const formatTime = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : `${timeFormat.format(new Date(iso))} UTC`);

/** Who did it, as the trail names them. */
export function actorName(actor: AuditEntry['actor']): string {
  if (actor.kind === 'token') return `API token “${actor.name}”`;
  if (actor.kind === 'anonymous') return 'Someone';
  return actor.name;
}

/** The export's filter in words: "language is es, status is active". */
export function filterWords(filter: unknown): string {
  const entries = Object.entries(filter && typeof filter === 'object' ? filter : {});
  if (entries.length === 0) return 'everyone';
  return entries
    .map(([field, value]) =>
      field === 'email' ? `address contains “${String(value)}”` : `${field} is ${String(value)}`,
    )
    .join(', ');
}

const amount = (n: unknown) => numberFormat.format(typeof n === 'number' ? n : 0);
const count = (n: unknown, one: string, many: string) => `${amount(n)} ${n === 1 ? one : many}`;

/** "added the tag “petition” to 1,204 subscribers (3 had it already; 12 addresses not found)". */
function taggedWords(d: Record<string, unknown>): string {
  const adding = d.action !== 'remove';
  const tag = `the tag “${String(d.tag ?? '')}”`;
  const done = adding
    ? `added ${tag} to ${count(d.changed, 'subscriber', 'subscribers')}`
    : `removed ${tag} from ${count(d.changed, 'subscriber', 'subscribers')}`;
  const rest = [
    ...(d.unchanged ? [`${amount(d.unchanged)} ${adding ? 'had it already' : 'did not have it'}`] : []),
    ...(d.notFound ? [`${count(d.notFound, 'address', 'addresses')} not found`] : []),
    ...(d.failed ? [`${amount(d.failed)} not an address`] : []),
  ];
  return rest.length ? `${done} (${rest.join('; ')})` : done;
}

export function describeEntry(entry: AuditEntry): string {
  const who = actorName(entry.actor);
  const d = entry.details as Record<string, unknown>;
  const id = entry.target?.id;
  const text = (key: string) => String(d[key] ?? '');
  switch (entry.action) {
    case 'signed_in':
      return `${who} signed in`;
    case 'sign_in_failed':
      return d.email ? `Failed sign-in as ${text('email')}` : 'Failed sign-in with an address that is no account';
    case 'campaign_sent':
      return `${who} sent campaign ${id}`;
    case 'campaign_scheduled':
      return `${who} scheduled campaign ${id} for ${formatTime(text('scheduledAt'))}`;
    case 'campaign_rescheduled':
      return `${who} rescheduled campaign ${id}`;
    case 'campaign_paused':
      return `${who} paused campaign ${id}`;
    case 'campaign_resumed':
      return `${who} resumed campaign ${id}`;
    case 'campaign_cancelled':
      return `${who} cancelled campaign ${id}`;
    case 'campaign_approval_requested':
      return `${who} asked for approval of campaign ${id}, to ${text('audience')} people`;
    case 'campaign_approved':
      return `${who} approved campaign ${id}, then reaching ${text('audience')} people`;
    case 'campaign_declined':
      return `${who} declined campaign ${id}: ${text('comment')}`;
    case 'campaign_withdrawn':
      return `${who} withdrew campaign ${id} by changing its bulletin`;
    case 'subscribers_exported': {
      const rows = typeof d.rows === 'number' ? d.rows : 0;
      const noun = rows === 1 ? 'subscriber' : 'subscribers';
      return `${who} exported ${numberFormat.format(rows)} ${noun} (filter: ${filterWords(d.filter)})`;
    }
    case 'subscriber_erased':
      return `${who} erased subscriber ${id}`;
    case 'subscribers_tagged':
      return `${who} ${taggedWords(d)}`;
    case 'confirmation_resent':
      return `${who} queued the confirmation mail of subscriber ${id} again`;
    case 'settings_changed': {
      const fields = Array.isArray(d.fields) ? d.fields.join(', ') : '';
      return `${who} changed the settings${fields ? `: ${fields}` : ''}`;
    }
    case 'staff_created':
      return d.firstAdmin
        ? `${who} created the first admin account at setup`
        : `${who} added ${text('email')} as ${text('role')}`;
    case 'staff_changed': {
      const role = d.role as { from?: string; to?: string } | undefined;
      const changes = [...(role ? [`role from ${role.from} to ${role.to}`] : []), ...(d.password ? ['password'] : [])];
      return `${who} changed ${text('email') || `staff member ${id}`}: ${changes.join(', ')}`;
    }
    case 'staff_deleted':
      return `${who} removed ${text('email') || `staff member ${id}`}`;
    case 'token_created':
      return `${who} created API token “${text('name')}” (${text('role')})`;
    case 'token_revoked':
      return `${who} revoked API token “${text('name') || id}”`;
    case 'media_uploaded':
      return `${who} uploaded the image “${text('name')}” to the media library`;
    case 'media_deleted':
      return `${who} deleted the image “${text('name') || id}” from the media library`;
    case 'webhook_created':
      return `${who} added a webhook endpoint at ${text('host')}`;
    case 'webhook_changed': {
      const changed = Array.isArray(d.changed) ? d.changed : [];
      const verb = changed.includes('enabled') ? (d.enabled ? 'enabled' : 'disabled') : 'changed';
      return `${who} ${verb} the webhook endpoint at ${text('host') || id}`;
    }
    case 'webhook_deleted':
      return `${who} deleted the webhook endpoint at ${text('host') || id}`;
    case 'welcome_mail_turned_on':
      return `${who} turned the welcome mail on: bulletin ${text('bulletinId')}, campaign ${id}`;
    case 'welcome_mail_turned_off':
      return `${who} turned the welcome mail off`;
    default:
      // An action this copy of the app does not know yet (a newer server): named as it is.
      return `${who}: ${String(entry.action).replace(/_/g, ' ')}`;
  }
}

const CAMPAIGN_VERBS: Partial<Record<AuditEntry['action'], string>> = {
  campaign_sent: 'sent',
  campaign_scheduled: 'scheduled',
  campaign_rescheduled: 'rescheduled',
  campaign_paused: 'paused',
  campaign_resumed: 'resumed',
  campaign_cancelled: 'cancelled',
  campaign_approval_requested: 'approval asked for',
  campaign_approved: 'approved',
  campaign_declined: 'declined',
  campaign_withdrawn: 'withdrawn (the bulletin changed)',
  welcome_mail_turned_on: 'turned on as the welcome mail',
};

/** A campaign's history in one sentence: "Scheduled by ana@… on Dec 3, 10:42 AM, paused by …". */
export function campaignHistory(
  history: readonly { action: AuditEntry['action']; by: AuditEntry['actor']; at: string }[],
  formatDate: (iso: string) => string,
): string {
  const parts = history.map(({ action, by, at }) => {
    const verb = CAMPAIGN_VERBS[action] ?? action.replace(/_/g, ' ');
    return `${verb} by ${actorName(by)} on ${formatDate(at)}`;
  });
  const sentence = parts.join(', ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
