// What the public pages read and change about a subscriber, through signed links only.
import type { Kysely } from 'kysely';
import { nowIso, type SubscriberStatus, type Tables } from '../db/schema.js';

export interface LinkedSubscriber {
  id: number;
  email: string;
  language: string;
  status: SubscriberStatus;
}

export class SupporterStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async subscriber(id: number): Promise<LinkedSubscriber | undefined> {
    return this.db.selectFrom('subscribers').select(['id', 'email', 'language', 'status']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Unsubscribes from everything, logging the campaign whose link was used. Idempotent: a
   * second click (or a mail client posting twice) writes nothing more.
   */
  async unsubscribe(subscriber: LinkedSubscriber, campaignId: number | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const changed = await trx
        .updateTable('subscribers')
        .set({ status: 'unsubscribed', updated_at: now })
        .where('id', '=', subscriber.id)
        .where('status', 'in', ['active', 'pending'])
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) return;
      await trx
        .insertInto('consent_events')
        .values({ subscriber_id: subscriber.id, event: 'unsubscribed', source: 'link', language: subscriber.language, campaign_id: campaignId, created_at: now })
        .execute();
    });
  }
}
