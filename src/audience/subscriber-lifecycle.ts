// A subscriber's lifecycle: joining, confirming, leaving, pausing, bouncing, complaining, being
// suppressed or erased. A subscriber's status and pause change here and nowhere else, each with
// the consent event that records it. Each transition names the statuses it may start from and
// changes nothing from any other. Every method works in the caller's transaction, so the row, its
// consent event, its webhook event (the outbox) and what the caller writes beside them (topics,
// tags, the SNS message) commit together.
import type { ExpressionBuilder, Selectable, Transaction } from 'kysely';
import { insertRows, type ColumnType } from '../db/insert-rows.js';
import {
  nowIso,
  SUBSCRIBER_STATUSES,
  type SubscribersTable,
  type SubscriberStatus,
  type Tables,
} from '../db/schema.js';
import { storedEmail, type Attributes, type ConsentEventKind, type ConsentSource } from './schemas.js';
import type { SubscriberEventType } from '../webhooks/event-types.js';
import { recordEvents } from '../webhooks/outbox.js';
import type { SuppressionList } from './suppressions.js';

type Trx = Transaction<Tables>;

/** What a webhook says of a subscriber. */
type Announced = Pick<Selectable<SubscribersTable>, 'id' | 'email' | 'name' | 'language' | 'status'>;
const ANNOUNCED = ['id', 'email', 'name', 'language', 'status'] as const;

/** The webhook event of arriving at each status when staff set it. */
const STATUS_EVENT: Record<SubscriberStatus, Exclude<SubscriberEventType, 'subscriber.erased'>> = {
  active: 'subscriber.updated',
  pending: 'subscriber.updated',
  unsubscribed: 'subscriber.unsubscribed',
  bounced: 'subscriber.bounced',
  complained: 'subscriber.complained',
};

/** The columns add() writes, in one statement however many people arrive. */
const NEW_SUBSCRIBER = {
  email: 'text',
  name: 'text',
  language: 'text',
  status: 'text',
  attributes: 'json',
  email_hash: 'text',
  created_at: 'timestamp',
  updated_at: 'timestamp',
} as const satisfies Record<string, ColumnType>;

const CONSENT_EVENT = {
  subscriber_id: 'integer',
  event: 'text',
  source: 'text',
  language: 'text',
  campaign_id: 'integer',
  created_at: 'timestamp',
} as const satisfies Record<string, ColumnType>;

/** Someone new to the list, validated already. */
export interface NewSubscriber {
  email: string;
  name: string;
  language: string;
  attributes: Attributes;
  /** The address's suppression hash, when the caller has made it already (an import hashes once). */
  emailHash?: string;
}

/** How the consent event of a transition is logged. */
export interface Consent {
  source: ConsentSource;
  /** The language of the text the person saw; the subscriber's language when left out. */
  language?: string;
  /** The campaign whose link or mail led to the change. */
  campaignId?: number | null;
}

/** What a subscriber chose on their preferences page. */
export interface PreferenceChange {
  language: string;
  /** A new pause end, null to end a pause, undefined to leave it. */
  pausedUntil: string | null | undefined;
  /** Whether the public topics they follow changed (the caller writes the topics). */
  topicsChanged: boolean;
}

/** Reasons staff may give for putting an address on the suppression list (erasure has its own way). */
export type StaffSuppressionReason = 'manual' | 'bounced' | 'complained';

/** The log's word for arriving at each status. */
const ARRIVAL: Record<SubscriberStatus, ConsentEventKind> = {
  active: 'subscribed',
  pending: 'subscription_requested',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced',
  complained: 'complained',
};

/**
 * The statuses each transition may start from; from any other it changes nothing. Staff may set
 * any status (setStatus); a new address starts with none (add, request).
 */
const FROM = {
  confirm: ['pending'],
  unsubscribe: ['active', 'pending'],
  rejoin: ['unsubscribed'],
  // A bounced or complained address stays stopped, whatever its owner saves.
  changePreferences: ['active', 'pending', 'unsubscribed'],
  bounce: ['active', 'pending', 'unsubscribed'],
  // A complaint outranks a bounce.
  complain: ['active', 'pending', 'unsubscribed', 'bounced'],
} as const satisfies Record<string, readonly SubscriberStatus[]>;

export class SubscriberLifecycle {
  constructor(private readonly suppressions: SuppressionList) {}

  /**
   * Adds new subscribers as pending or active, each with its event (`subscription_requested` or
   * `subscribed`). An address already there fails the statement (a unique violation) for the
   * caller to answer; callers check the suppression list first.
   */
  async add(
    trx: Trx,
    people: readonly NewSubscriber[],
    status: 'pending' | 'active',
    consent: Consent,
  ): Promise<Announced[]> {
    const now = nowIso();
    const rows = (await insertRows(
      trx,
      'subscribers',
      NEW_SUBSCRIBER,
      people.map((p) => ({
        email: p.email,
        name: p.name,
        language: p.language,
        status,
        attributes: JSON.stringify(p.attributes),
        email_hash: p.emailHash ?? this.suppressions.hash(p.email),
        created_at: now,
        updated_at: now,
      })),
      { returning: ANNOUNCED },
    )) as Announced[];
    await this.log(
      trx,
      rows.map((row) => ({ ...row, event: ARRIVAL[status] })),
      consent,
      now,
    );
    await announce(trx, 'subscriber.created', rows, consent);
    return rows;
  }

  /**
   * A request from the public form. A new address is added as pending (`added`); anyone already
   * there is only told about: a pending subscriber (`pending`) or someone who unsubscribed
   * (`unsubscribed`, who may come back through `rejoin`) is returned and nothing about them
   * changes, since anyone can fill in the form. Active, bounced or complained subscribers and
   * suppressed addresses get undefined.
   */
  async request(
    trx: Trx,
    person: { email: string; name: string; language: string },
    consent: Consent,
  ): Promise<{ id: number; email: string; language: string; as: 'added' | 'pending' | 'unsubscribed' } | undefined> {
    if ((await this.suppressions.reasons([person.email], trx)).size > 0) return undefined;
    const existing = await trx
      .selectFrom('subscribers')
      .select(['id', 'email', 'language', 'status'])
      .where('email', '=', person.email)
      .executeTakeFirst();
    if (!existing) {
      const [row] = await this.add(trx, [{ ...person, attributes: {} }], 'pending', consent);
      return { id: row!.id, email: row!.email, language: row!.language, as: 'added' };
    }
    const { status, ...found } = existing;
    return status === 'pending' || status === 'unsubscribed' ? { ...found, as: status } : undefined;
  }

  /**
   * Someone who unsubscribed → active, from the confirmation link of what they asked for on the
   * form: in the language (and under the name, when given) they asked for then. Logged as
   * `confirmed`. Says whether it changed.
   */
  async rejoin(trx: Trx, id: number, choice: { name: string; language: string }, consent: Consent): Promise<boolean> {
    const now = nowIso();
    const row = await trx
      .updateTable('subscribers')
      .set({
        status: 'active',
        language: choice.language,
        ...(choice.name ? { name: choice.name } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', 'in', FROM.rejoin)
      .returning(ANNOUNCED)
      .executeTakeFirst();
    if (!row) return false;
    await this.log(trx, [{ ...row, event: 'confirmed' }], consent, now);
    await announce(trx, 'subscriber.confirmed', [row], consent);
    return true;
  }

  /**
   * Deletes the subscribers the form added who never confirmed: pending since before `before`,
   * with nothing in their log but that request. No suppression entry is kept, so they may ask
   * again. Says how many went.
   */
  async expireUnconfirmed(trx: Trx, before: string): Promise<number> {
    const events = (eb: ExpressionBuilder<Tables, 'subscribers'>) =>
      eb.selectFrom('consent_events').select('consent_events.id').whereRef('subscriber_id', '=', 'subscribers.id');
    const fromForm = (eb: ExpressionBuilder<Tables, 'consent_events'>) =>
      eb.and([eb('event', '=', 'subscription_requested'), eb('source', '=', 'form')]);
    const result = await trx
      .deleteFrom('subscribers')
      .where('status', '=', 'pending')
      .where('created_at', '<', before)
      .where((eb) => eb.exists(events(eb).where(fromForm)))
      .where((eb) => eb.not(eb.exists(events(eb).where((e) => e.not(fromForm(e))))))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Pending → active, from the confirmation link. Says whether it changed. */
  async confirm(trx: Trx, id: number, consent: Consent): Promise<boolean> {
    return this.move(trx, { id }, FROM.confirm, 'active', ['confirmed', 'subscriber.confirmed'], consent);
  }

  /** Active or pending → unsubscribed. Says whether it changed: a second click writes nothing. */
  async unsubscribe(trx: Trx, id: number, consent: Consent): Promise<boolean> {
    return this.move(
      trx,
      { id },
      FROM.unsubscribe,
      'unsubscribed',
      ['unsubscribed', 'subscriber.unsubscribed'],
      consent,
    );
  }

  /**
   * Saves the language and pause a subscriber chose on their preferences page, with an event for
   * each kind of change (`preferences_changed`, `paused` or `resumed`). Someone who had
   * unsubscribed is subscribed again (`subscribed`): it is their own act, through their own signed
   * link. Bounced and complained subscribers stay as they are. Says whether it saved.
   */
  async changePreferences(trx: Trx, id: number, change: PreferenceChange, consent: Consent): Promise<boolean> {
    const current = await trx
      .selectFrom('subscribers')
      .select(['id', 'status', 'language', 'paused_until'])
      .where('id', '=', id)
      .where('status', 'in', FROM.changePreferences)
      .executeTakeFirst();
    if (!current) return false;
    const events: ConsentEventKind[] = [];
    if (change.topicsChanged || change.language !== current.language) events.push('preferences_changed');
    if (change.pausedUntil !== undefined && change.pausedUntil !== current.paused_until)
      events.push(change.pausedUntil ? 'paused' : 'resumed');
    const resubscribed = current.status === 'unsubscribed';
    if (resubscribed) events.push('subscribed');
    const now = nowIso();
    const row = await trx
      .updateTable('subscribers')
      .set({
        language: change.language,
        ...(change.pausedUntil !== undefined ? { paused_until: change.pausedUntil } : {}),
        ...(resubscribed ? { status: 'active' as const } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returning(ANNOUNCED)
      .executeTakeFirstOrThrow();
    await this.log(
      trx,
      events.map((event) => ({ id, language: change.language, event })),
      consent,
      now,
    );
    if (events.length > 0) await announce(trx, 'subscriber.updated', [row], consent);
    return true;
  }

  /** Staff set a status, from any other; logged as arriving at it. Says whether it changed. */
  async setStatus(trx: Trx, id: number, status: SubscriberStatus, consent: Consent): Promise<boolean> {
    const from = SUBSCRIBER_STATUSES.filter((s) => s !== status);
    return this.move(trx, { id }, from, status, [ARRIVAL[status], STATUS_EVENT[status]], consent);
  }

  /**
   * Staff set or end a pause (an ISO time, or null). Not logged: the consent log has never held
   * staff's pauses, only those people set on their preferences page.
   */
  async setPause(trx: Trx, id: number, until: string | null): Promise<void> {
    await trx
      .updateTable('subscribers')
      .set({ paused_until: until, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }

  /**
   * A permanent bounce: the address is suppressed (subscriber or not: a bounce is about the
   * address) and its subscriber, when active, pending or unsubscribed, becomes bounced. Says
   * whether a subscriber changed.
   */
  async bounce(trx: Trx, email: string, consent: Consent): Promise<boolean> {
    return this.stopMail(trx, email, 'bounced', consent);
  }

  /** A complaint: as a bounce, and it also replaces a bounce. */
  async complain(trx: Trx, email: string, consent: Consent): Promise<boolean> {
    return this.stopMail(trx, email, 'complained', consent);
  }

  /** Counts a soft bounce for the address's subscriber; the count now, undefined when there is none. */
  async countSoftBounce(trx: Trx, email: string): Promise<number | undefined> {
    const row = await trx
      .updateTable('subscribers')
      .set((eb) => ({ transient_bounces: eb('transient_bounces', '+', 1) }))
      .where('email', '=', storedEmail(email))
      .returning('transient_bounces')
      .executeTakeFirst();
    return row?.transient_bounces;
  }

  /** A delivery ends the run of soft bounces of these subscribers. */
  async clearSoftBounces(trx: Trx, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await trx
      .updateTable('subscribers')
      .set({ transient_bounces: 0 })
      .where('id', 'in', ids)
      .where('transient_bounces', '>', 0)
      .execute();
  }

  /**
   * Staff put an address on the suppression list (a no-op when it is there already); its
   * subscriber, if any, keeps their status and gets `suppressed:<reason>` in their log.
   */
  async suppress(trx: Trx, email: string, reason: StaffSuppressionReason, consent: Consent): Promise<void> {
    await this.suppressions.add(email, reason, trx);
    const row = await trx
      .selectFrom('subscribers')
      .select(['id', 'language'])
      .where('email', '=', storedEmail(email))
      .executeTakeFirst();
    if (row) await this.log(trx, [{ ...row, event: `suppressed:${reason}` as const }], consent, nowIso());
  }

  /**
   * Erases a subscriber: the row goes, and with it (by cascade) their tags, subscriptions and
   * consent log; a keyed hash of the address stays on the suppression list so the person is
   * never silently re-imported. Says whether there was anyone to erase.
   */
  async erase(trx: Trx, id: number): Promise<boolean> {
    const row = await trx.selectFrom('subscribers').select('email').where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    await this.suppressions.add(row.email, 'erased', trx);
    await trx.deleteFrom('subscribers').where('id', '=', id).execute();
    // What the outbox said of them goes too (their deliveries with it, by cascade): the one event
    // left about them is the erasure itself, with only what a receiver needs to erase them too.
    await trx.deleteFrom('webhook_events').where('subscriber_id', '=', id).execute();
    await recordEvents(trx, [{ type: 'subscriber.erased', data: { subscriber: { id, email: row.email } } }]);
    return true;
  }

  private async stopMail(trx: Trx, email: string, status: 'bounced' | 'complained', consent: Consent) {
    await this.suppressions.add(email, status, trx);
    const from = status === 'bounced' ? FROM.bounce : FROM.complain;
    return this.move(trx, { email: storedEmail(email) }, from, status, [status, STATUS_EVENT[status]], consent);
  }

  /**
   * Moves one subscriber from one of `from` to `to`, logs the consent event and records the
   * webhook event; says whether it moved.
   */
  private async move(
    trx: Trx,
    who: { id: number } | { email: string },
    from: readonly SubscriberStatus[],
    to: SubscriberStatus,
    [event, webhookEvent]: [ConsentEventKind, Exclude<SubscriberEventType, 'subscriber.erased'>],
    consent: Consent,
  ): Promise<boolean> {
    const now = nowIso();
    const row = await trx
      .updateTable('subscribers')
      .set({ status: to, updated_at: now })
      .where((eb) => ('id' in who ? eb('id', '=', who.id) : eb('email', '=', who.email)))
      .where('status', 'in', from)
      .returning(ANNOUNCED)
      .executeTakeFirst();
    if (!row) return false;
    await this.log(trx, [{ ...row, event }], consent, now);
    await announce(trx, webhookEvent, [row], consent);
    return true;
  }

  /** Writes consent events, in statements small enough for either database. */
  private async log(
    trx: Trx,
    events: readonly { id: number; language: string; event: ConsentEventKind }[],
    consent: Consent,
    at: string,
  ): Promise<void> {
    await insertRows(
      trx,
      'consent_events',
      CONSENT_EVENT,
      events.map((e) => ({
        subscriber_id: e.id,
        event: e.event,
        source: consent.source,
        language: consent.language ?? e.language,
        campaign_id: consent.campaignId ?? null,
        created_at: at,
      })),
    );
  }
}

/** Records a webhook event for each subscriber, as they are now. */
function announce(
  trx: Trx,
  type: Exclude<SubscriberEventType, 'subscriber.erased'>,
  rows: readonly Announced[],
  consent: Consent,
): Promise<void> {
  return recordEvents(
    trx,
    rows.map(({ id, email, name, language, status }) => ({
      type,
      data: {
        subscriber: { id, email, name, language, status },
        source: consent.source,
        campaignId: consent.campaignId ?? null,
      },
    })),
  );
}
