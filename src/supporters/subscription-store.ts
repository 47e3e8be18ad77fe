// What the public subscribe form and the confirmation link change: a pending subscriber with
// the public topics they chose, and their confirmation, each with its consent event.
import type { Kysely, Transaction } from 'kysely';
import type { SuppressionList } from '../audience/suppressions.js';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso, type SubscriberStatus, type Tables } from '../db/schema.js';

type Trx = Transaction<Tables>;

export interface SubscriptionRequest {
  /** Lower-cased and trimmed already. */
  email: string;
  name: string;
  /** The language the person wants their mail in. */
  language: string;
  /** Keys of public topics; any other key is ignored. */
  topics: readonly string[];
  /** The language of the form the person read, for the consent log. */
  pageLanguage: string;
}

/** Someone a confirmation mail may go to. */
export interface ConfirmationTarget {
  id: number;
  email: string;
  language: string;
}

export class SubscriptionStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly suppressions: SuppressionList,
  ) {}

  /**
   * Records a request from the form and says who should get a confirmation mail, if anyone:
   * - a new address becomes `pending` with the chosen topics and language;
   * - someone who unsubscribed is `pending` again with the new choice (their own opt-in);
   * - a `pending` subscriber is left as they are (an anonymous form does not rewrite a
   *   stranger's choices) and gets the mail again;
   * - an `active`, bounced or complained subscriber, or a suppressed address, is left alone and
   *   gets nothing.
   */
  async request(input: SubscriptionRequest): Promise<ConfirmationTarget | undefined> {
    try {
      return await this.db.transaction().execute((trx) => this.requestIn(trx, input));
    } catch (err) {
      // The same address sent twice at once: the second insert lost; the row is there now.
      if (!isUniqueViolation(err)) throw err;
      return this.db.transaction().execute((trx) => this.requestIn(trx, input));
    }
  }

  /**
   * Activates a pending subscriber and logs the confirmation; idempotent (a second click
   * writes nothing). Returns the status afterwards, undefined when the subscriber is gone.
   */
  async confirm(id: number, pageLanguage: string): Promise<SubscriberStatus | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const changed = await trx
        .updateTable('subscribers')
        .set({ status: 'active', updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (changed.numUpdatedRows > 0n) {
        await trx
          .insertInto('consent_events')
          .values({ subscriber_id: id, event: 'confirmed', source: 'form', language: pageLanguage, created_at: now })
          .execute();
      }
      const row = await trx.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirst();
      return row?.status;
    });
  }

  private async requestIn(trx: Trx, input: SubscriptionRequest): Promise<ConfirmationTarget | undefined> {
    if ((await this.suppressions.reasons([input.email], trx)).size > 0) return undefined;
    const existing = await trx
      .selectFrom('subscribers')
      .select(['id', 'email', 'language', 'status'])
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (existing?.status === 'pending') return { id: existing.id, email: existing.email, language: existing.language };
    if (existing && existing.status !== 'unsubscribed') return undefined;

    const now = nowIso();
    const row = existing
      ? await trx
          .updateTable('subscribers')
          .set({
            status: 'pending',
            language: input.language,
            ...(input.name ? { name: input.name } : {}),
            updated_at: now,
          })
          .where('id', '=', existing.id)
          .returning(['id', 'email', 'language'])
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('subscribers')
          .values({
            email: input.email,
            name: input.name,
            language: input.language,
            status: 'pending',
            attributes: JSON.stringify({}),
            email_hash: this.suppressions.hash(input.email),
            created_at: now,
            updated_at: now,
          })
          .returning(['id', 'email', 'language'])
          .executeTakeFirstOrThrow();
    await this.replaceTopics(trx, row.id, input.topics, now);
    // The consent log's word for arriving at `pending`, as SubscriberStore writes it.
    await trx
      .insertInto('consent_events')
      .values({
        subscriber_id: row.id,
        event: 'subscription_requested',
        source: 'form',
        language: input.pageLanguage,
        created_at: now,
      })
      .execute();
    return row;
  }

  /**
   * The form's choice replaces the public topics; subscriptions to topics the form does not
   * show (set by staff) stay as they are.
   */
  private async replaceTopics(trx: Trx, id: number, keys: readonly string[], at: string): Promise<void> {
    await trx
      .deleteFrom('subscriptions')
      .where('subscriber_id', '=', id)
      .where('topic_id', 'in', (eb) => eb.selectFrom('topics').select('id').where('public', '=', 1))
      .execute();
    if (keys.length === 0) return;
    const topics = await trx
      .selectFrom('topics')
      .select('id')
      .where('key', 'in', [...new Set(keys)])
      .where('public', '=', 1)
      .execute();
    if (topics.length === 0) return;
    await trx
      .insertInto('subscriptions')
      .values(topics.map((topic) => ({ subscriber_id: id, topic_id: topic.id, created_at: at })))
      .execute();
  }
}
