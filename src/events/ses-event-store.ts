// What SES events change: subscribers' status and bounce counts, the suppression list and the
// consent log (all through SubscriberLifecycle), and delivery times on the ledger. Each SNS message
// is recorded in the same transaction as its effects, so a message is applied once, and a failure
// leaves it to be applied again.
import type { Kysely, Transaction } from 'kysely';
import { storedEmail } from '../audience/schemas.js';
import type { SubscriberLifecycle } from '../audience/subscriber-lifecycle.js';
import { nowIso, type Tables } from '../db/schema.js';
import { addTallies } from '../sending/delivery-tallies.js';
import type { SesEvent } from './ses-notification.js';

/** What applying one event changed, for the log. */
export interface Applied {
  /** Subscribers whose status changed (bounced or complained). */
  subscribers: number;
  /** Ledger rows newly marked delivered. */
  deliveries: number;
}

export class SesEventStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly lifecycle: SubscriberLifecycle,
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

  /** Deletes the ids of messages received before `before`; says how many. */
  async forgetBefore(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sns_messages')
      .where('received_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
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
      const consent = { source: 'ses' as const, campaignId: await this.campaignOf(trx, messageId, email) };
      const changed =
        status === 'bounced'
          ? await this.lifecycle.bounce(trx, email, consent)
          : await this.lifecycle.complain(trx, email, consent);
      if (changed) subscribers++;
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
      const count = await this.lifecycle.countSoftBounce(trx, email);
      if (count === undefined || count < this.transientBounceLimit) continue;
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
      .returning(['subscriber_id', 'campaign_id', 'status', 'language'])
      .execute();
    for (const row of rows)
      await addTallies(trx, row.campaign_id, [{ status: row.status, language: row.language, delivered: 1 }]);
    await this.lifecycle.clearSoftBounces(
      trx,
      rows.flatMap((r) => (r.subscriber_id === null ? [] : [r.subscriber_id])),
    );
    return { subscribers: 0, deliveries: rows.length };
  }

  /** The campaign of the message, when it went to the subscriber with this address. */
  private async campaignOf(trx: Transaction<Tables>, messageId: string, email: string): Promise<number | null> {
    const row = await trx
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select('deliveries.campaign_id')
      .where('deliveries.message_id', '=', messageId)
      .where('subscribers.email', '=', storedEmail(email))
      .executeTakeFirst();
    return row?.campaign_id ?? null;
  }
}
