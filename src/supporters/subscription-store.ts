// What the public subscribe form and the confirmation link change: a pending subscriber with
// the public topics they chose, or the request of someone who had unsubscribed, and their
// confirmation, each with its consent event.
import type { Kysely, Transaction } from 'kysely';
import type { Consent, SubscriberLifecycle } from '../audience/subscriber-lifecycle.js';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso, parseJson, type SubscriberStatus, type Tables } from '../db/schema.js';
import type { WelcomeDelivery } from '../sending/welcome-store.js';

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

/** Someone a confirmation mail may go to, and what its link confirms. */
export interface ConfirmationTarget {
  id: number;
  email: string;
  /** The language of the mail and of the confirmation page. */
  language: string;
  /** The request the link confirms, for someone who had unsubscribed; none for a pending subscriber. */
  requestId?: number;
}

/** Gives the welcome mail's ledger row to someone who has just confirmed (src/sending/welcome-store.ts). */
export interface WelcomeEnlistment {
  enlist(trx: Trx, subscriberId: number): Promise<WelcomeDelivery | undefined>;
}

/** What a confirmation did: the status afterwards, and the welcome mail to queue now that it is committed. */
export interface Confirmation {
  /** Undefined when the subscriber is gone. */
  status: SubscriberStatus | undefined;
  welcome: WelcomeDelivery | undefined;
}

export class SubscriptionStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly lifecycle: SubscriberLifecycle,
    private readonly welcome: WelcomeEnlistment,
  ) {}

  /**
   * Records a request from the form and says who should get a confirmation mail, if anyone:
   * - a new address becomes `pending` with the chosen topics and language;
   * - for someone who unsubscribed, the choice is kept as a request of its own, applied only
   *   when they confirm it: their record does not change;
   * - a `pending` subscriber is left as they are and gets the mail again;
   * - an `active`, bounced or complained subscriber, or a suppressed address, gets nothing.
   * Nothing about anyone already there changes: anyone can fill in the form.
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
   * Who a confirmation link names while it can still confirm: a pending subscriber, or someone
   * who unsubscribed whose request is still open. Undefined otherwise.
   */
  async target(id: number, requestId: number | undefined): Promise<ConfirmationTarget | undefined> {
    if (requestId === undefined) {
      return this.db
        .selectFrom('subscribers')
        .select(['id', 'email', 'language'])
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
    }
    return this.db
      .selectFrom('subscribe_requests as r')
      .innerJoin('subscribers as s', 's.id', 'r.subscriber_id')
      .select(['s.id', 's.email', 'r.language', 'r.id as requestId'])
      .where('r.id', '=', requestId)
      .where('s.id', '=', id)
      .where('s.status', '=', 'unsubscribed')
      .executeTakeFirst();
  }

  /**
   * Confirms what a link names: a pending subscriber becomes active; someone who unsubscribed
   * becomes active with the name, language and topics of their request. Logs the confirmation;
   * idempotent (a second click writes nothing). Either way, when the welcome mail is on and the
   * person never had it, its ledger row is written in the same transaction: the caller queues it.
   */
  async confirm(target: ConfirmationTarget, pageLanguage: string): Promise<Confirmation> {
    const consent = { source: 'form', language: pageLanguage } as const;
    return this.db.transaction().execute(async (trx) => {
      const confirmed =
        target.requestId === undefined
          ? await this.lifecycle.confirm(trx, target.id, consent)
          : await this.confirmRequest(trx, target.id, target.requestId, consent);
      const welcome = confirmed ? await this.welcome.enlist(trx, target.id) : undefined;
      const row = await trx.selectFrom('subscribers').select('status').where('id', '=', target.id).executeTakeFirst();
      return { status: row?.status, welcome };
    });
  }

  /**
   * Deletes what was asked for and never confirmed, from before `before`: the subscribers the
   * form added (with their topics and log) and the requests of people who had unsubscribed.
   */
  async expire(before: string): Promise<{ subscribers: number; requests: number }> {
    return this.db.transaction().execute(async (trx) => {
      const subscribers = await this.lifecycle.expireUnconfirmed(trx, before);
      const requests = await trx.deleteFrom('subscribe_requests').where('created_at', '<', before).executeTakeFirst();
      return { subscribers, requests: Number(requests.numDeletedRows) };
    });
  }

  private async requestIn(trx: Trx, input: SubscriptionRequest): Promise<ConfirmationTarget | undefined> {
    const { pageLanguage, topics, ...person } = input;
    const found = await this.lifecycle.request(trx, person, { source: 'form', language: pageLanguage });
    if (!found) return undefined;
    const { as, ...target } = found;
    if (as === 'added') await this.replaceTopics(trx, target.id, topics, nowIso());
    if (as !== 'unsubscribed') return target;
    const request = await trx
      .insertInto('subscribe_requests')
      .values({
        subscriber_id: target.id,
        name: person.name,
        language: person.language,
        topics: JSON.stringify(topics),
        page_language: pageLanguage,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...target, language: person.language, requestId: request.id };
  }

  /**
   * Someone who unsubscribed confirms their request: it is applied, and their open requests closed.
   * Says whether it was.
   */
  private async confirmRequest(trx: Trx, id: number, requestId: number, consent: Consent): Promise<boolean> {
    const request = await trx
      .selectFrom('subscribe_requests')
      .selectAll()
      .where('id', '=', requestId)
      .where('subscriber_id', '=', id)
      .executeTakeFirst();
    if (!request || !(await this.lifecycle.rejoin(trx, id, request, consent))) return false;
    await this.replaceTopics(trx, id, parseJson<string[]>(request.topics), nowIso());
    await trx.deleteFrom('subscribe_requests').where('subscriber_id', '=', id).execute();
    return true;
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
