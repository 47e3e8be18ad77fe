// What SES events change: subscribers' status and bounce counts, the suppression list, the consent
// log and delivery times on the ledger. Each SNS message is recorded in the same transaction as
// its effects, so a message is applied once, and a failure leaves it to be applied again.
import type { Kysely, Transaction } from 'kysely';
import { storedEmail } from '../audience/schemas.js';
import type { SuppressionList } from '../audience/suppressions.js';
import { nowIso, type Tables } from '../db/schema.js';
import type { SesEvent } from './ses-notification.js';

/** What applying one event changed, for the log. */
export interface Applied {
  /** Subscribers whose status changed (bounced or complained). */
  subscribers: number;
  /** Ledger rows newly marked delivered. */
  deliveries: number;
}

/** The statuses each event may move a subscriber out of: a complaint outranks a bounce. */
const REPLACEABLE = {
  bounced: ['active', 'pending', 'unsubscribed'],
  complained: ['active', 'pending', 'unsubscribed', 'bounced'],
} as const;

export class SesEventStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly suppressions: SuppressionList,
    /** Transient bounces in a row after which an address is suppressed (config.transientBounceLimit). */
    private readonly transientBounceLimit: number,
  ) {}

  async seen(messageId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sns_messages')
      .select('message_id')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records the SNS message and applies its event, in one transaction. Undefined when the
   * message was recorded before: a second delivery of it changes nothing.
   */
  async apply(messageId: string, type: string, event: SesEvent): Promise<Applied | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // On PostgreSQL a concurrent copy of the message waits here until the first one commits.
      const recorded = await trx
        .insertInto('sns_messages')
        .values({ message_id: messageId, type, received_at: nowIso() })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .executeTakeFirst();
      if (Number(recorded.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
      switch (event.kind) {
        case 'complaint':
          return this.stopMail(trx, event.emails, 'complained', event.messageId);
        case 'bounce':
          return event.permanent
            ? this.stopMail(trx, event.emails, 'bounced', event.messageId)
            : this.countTransientBounces(trx, event.emails, event.messageId);
        case 'delivery':
          return this.markDelivered(trx, event.messageId, event.at ?? nowIso());
        case 'other':
          return { subscribers: 0, deliveries: 0 };
      }
    });
  }

  /**
   * Suppresses the addresses (subscribers or not: a hard bounce or a complaint is about the
   * address) and marks their subscribers, logging the change with the campaign it came from.
   */
  private async stopMail(
    trx: Transaction<Tables>,
    emails: readonly string[],
    status: 'bounced' | 'complained',
    messageId: string,
  ): Promise<Applied> {
    let subscribers = 0;
    for (const email of emails) {
      await this.suppressions.add(email, status, trx);
      if (await this.markSubscriber(trx, email, status, messageId)) subscribers++;
    }
    return { subscribers, deliveries: 0 };
  }

  /** Counts a soft bounce for each subscriber; at the limit the address is suppressed as bounced. */
  private async countTransientBounces(
    trx: Transaction<Tables>,
    emails: readonly string[],
    messageId: string,
  ): Promise<Applied> {
    let subscribers = 0;
    for (const email of emails) {
      const row = await trx
        .updateTable('subscribers')
        .set((eb) => ({ transient_bounces: eb('transient_bounces', '+', 1) }))
        .where('email', '=', storedEmail(email))
        .returning('transient_bounces')
        .executeTakeFirst();
      if (!row || row.transient_bounces < this.transientBounceLimit) continue;
      subscribers += (await this.stopMail(trx, [email], 'bounced', messageId)).subscribers;
    }
    return { subscribers, deliveries: 0 };
  }

  /** Sets the ledger rows' delivery time (the first report wins) and clears their soft bounces. */
  private async markDelivered(trx: Transaction<Tables>, messageId: string, at: string): Promise<Applied> {
    const rows = await trx
      .updateTable('deliveries')
      .set({ delivered_at: at, updated_at: nowIso() })
      .where('message_id', '=', messageId)
      .where('delivered_at', 'is', null)
      .returning('subscriber_id')
      .execute();
    const ids = rows.flatMap((r) => (r.subscriber_id === null ? [] : [r.subscriber_id]));
    if (ids.length) {
      await trx
        .updateTable('subscribers')
        .set({ transient_bounces: 0 })
        .where('id', 'in', ids)
        .where('transient_bounces', '>', 0)
        .execute();
    }
    return { subscribers: 0, deliveries: rows.length };
  }

  /** Moves the subscriber with this address to `status` and logs it; says whether it changed. */
  private async markSubscriber(
    trx: Transaction<Tables>,
    email: string,
    status: 'bounced' | 'complained',
    messageId: string,
  ): Promise<boolean> {
    const now = nowIso();
    const row = await trx
      .updateTable('subscribers')
      .set({ status, updated_at: now })
      .where('email', '=', storedEmail(email))
      .where('status', 'in', REPLACEABLE[status])
      .returning(['id', 'language'])
      .executeTakeFirst();
    if (!row) return false;
    const delivery = await trx
      .selectFrom('deliveries')
      .select('campaign_id')
      .where('message_id', '=', messageId)
      .where('subscriber_id', '=', row.id)
      .executeTakeFirst();
    await trx
      .insertInto('consent_events')
      .values({
        subscriber_id: row.id,
        event: status,
        source: 'ses',
        language: row.language,
        campaign_id: delivery?.campaign_id ?? null,
        created_at: now,
      })
      .execute();
    return true;
  }
}
