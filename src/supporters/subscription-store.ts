// What the public subscribe form and the confirmation link change: a pending subscriber with
// the public topics they chose, and their confirmation, each with its consent event.
import type { Kysely, Transaction } from 'kysely';
import type { SubscriberLifecycle } from '../audience/subscriber-lifecycle.js';
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
    private readonly lifecycle: SubscriberLifecycle,
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
      await this.lifecycle.confirm(trx, id, { source: 'form', language: pageLanguage });
      const row = await trx.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirst();
      return row?.status;
    });
  }

  private async requestIn(trx: Trx, input: SubscriptionRequest): Promise<ConfirmationTarget | undefined> {
    const { pageLanguage, topics, ...person } = input;
    const request = await this.lifecycle.request(trx, person, { source: 'form', language: pageLanguage });
    if (!request) return undefined;
    if (request.requested) await this.replaceTopics(trx, request.id, topics, nowIso());
    return { id: request.id, email: request.email, language: request.language };
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
