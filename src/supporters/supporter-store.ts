// What the public pages read and change about a subscriber, through signed links only.
import type { Kysely } from 'kysely';
import type { SubscriberLifecycle } from '../audience/subscriber-lifecycle.js';
import { nowIso, parseJson, type SubscriberStatus, type Tables } from '../db/schema.js';

export interface LinkedSubscriber {
  id: number;
  email: string;
  language: string;
  status: SubscriberStatus;
  paused_until: string | null;
}

export interface PublicTopic {
  id: number;
  key: string;
  name: Record<string, string>;
  description: Record<string, string>;
}

export interface PreferenceChoice {
  /** Keys of public topics to follow; the others public topics are left. Private topics are untouched. */
  topics: string[];
  language: string;
  /** A new pause end, null to end a pause, undefined to leave it. */
  pausedUntil: string | null | undefined;
}

export class SupporterStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly lifecycle: SubscriberLifecycle,
  ) {}

  async subscriber(id: number): Promise<LinkedSubscriber | undefined> {
    return this.db
      .selectFrom('subscribers')
      .select(['id', 'email', 'language', 'status', 'paused_until'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async publicTopics(): Promise<PublicTopic[]> {
    const rows = await this.db
      .selectFrom('topics')
      .select(['id', 'key', 'name', 'description'])
      .where('public', '=', 1)
      .orderBy('key')
      .execute();
    return rows.map((r) => ({ id: r.id, key: r.key, name: parseJson(r.name), description: parseJson(r.description) }));
  }

  /** Keys of the topics the subscriber follows. */
  async topicsOf(subscriberId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('subscriptions')
      .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select('topics.key')
      .where('subscriptions.subscriber_id', '=', subscriberId)
      .execute();
    return rows.map((r) => r.key);
  }

  /**
   * Saves what a subscriber chose on their preferences page, with a consent event for each
   * kind of change. Someone who had unsubscribed and saves their choices is subscribed again:
   * it is their own act, through their own signed link. Bounced and complained stay so, and
   * nothing of theirs changes.
   */
  async savePreferences(subscriber: LinkedSubscriber, choice: PreferenceChoice, pageLanguage: string): Promise<void> {
    const before = await this.topicsOf(subscriber.id);
    await this.db.transaction().execute(async (trx) => {
      const publicTopics = await trx.selectFrom('topics').select(['id', 'key']).where('public', '=', 1).execute();
      const publicBefore = before.filter((k) => publicTopics.some((t) => t.key === k)).sort();
      const saved = await this.lifecycle.changePreferences(
        trx,
        subscriber.id,
        {
          language: choice.language,
          pausedUntil: choice.pausedUntil,
          topicsChanged: publicBefore.join() !== [...choice.topics].sort().join(),
        },
        { source: 'preferences', language: pageLanguage },
      );
      if (!saved) return;
      const wanted = publicTopics.filter((t) => choice.topics.includes(t.key)).map((t) => t.id);
      if (publicTopics.length) {
        await trx
          .deleteFrom('subscriptions')
          .where('subscriber_id', '=', subscriber.id)
          .where(
            'topic_id',
            'in',
            publicTopics.map((t) => t.id),
          )
          .execute();
      }
      if (wanted.length) {
        const now = nowIso();
        await trx
          .insertInto('subscriptions')
          .values(wanted.map((topic_id) => ({ subscriber_id: subscriber.id, topic_id, created_at: now })))
          .execute();
      }
    });
  }

  /**
   * Unsubscribes from everything, logging the campaign whose link was used. Idempotent: a
   * second click (or a mail client posting twice) writes nothing more.
   */
  async unsubscribe(subscriber: LinkedSubscriber, campaignId: number | null): Promise<void> {
    await this.db
      .transaction()
      .execute((trx) =>
        this.lifecycle.unsubscribe(trx, subscriber.id, { source: 'link', language: subscriber.language, campaignId }),
      );
  }
}
