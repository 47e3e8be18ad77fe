// The delivery ledger: one row per (campaign, subscriber). The snapshot writes it, workers claim
// and settle its rows, staff requeue them. Every change to a claimed row names the claim that
// holds it, so two workers can never both act on one row. Each change counts itself in the
// campaign's tallies (delivery-tallies.ts) in its own transaction.
import { sql, type Kysely } from 'kysely';
import { eligibleAudience, exclusionReason, topicRef } from '../audience/audience-store.js';
import type { ExclusionReason } from '../audience/exclusion-reasons.js';
import type { RuleReader } from '../audience/rule-evaluator.js';
import { ruleReaders } from '../audience/rule-readers.js';
import type { Rule } from '../audience/rules.js';
import type { DatabaseKind } from '../db/database.js';
import { DELIVERY_STATUSES, nowIso, type DeliveryStatus, type Tables } from '../db/schema.js';
import { addTallies, moved, recountTallies, type TallyChange } from './delivery-tallies.js';
import type { Counts } from './schemas.js';

export interface ClaimedDelivery {
  id: number;
  subscriberId: number | null;
  language: string;
}

export interface Recipient {
  id: number;
  email: string;
  name: string;
  /** Why the subscriber may no longer be mailed, or null when they may. */
  skip: string | null;
  /** Their row as a block's audience reads it, when asked for (the campaign has blocks with an audience). */
  reader?: RuleReader;
}

/** What became of one claimed row. */
export interface Settlement {
  id: number;
  outcome: { status: 'sent'; messageId: string } | { status: 'failed' | 'skipped' | 'queued'; error: string };
}

/** A batch: the campaign's rows with ids from `fromId` to `toId`. */
export interface DeliveryRange {
  fromId: number;
  toId: number;
}

/** Deliveries in these statuses are open; the others are done unless staff retry them. */
export const OPEN_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'sending'];

/** What a skipped row's last_error says, for each reason someone may no longer be mailed. */
const SKIP_REASONS: Record<ExclusionReason, string> = {
  unsubscribed: 'subscriber is unsubscribed',
  unconfirmed: 'subscriber is unconfirmed',
  bounced: 'subscriber is bounced',
  complained: 'subscriber is complained',
  paused: 'subscriber paused their mail',
  suppressed: 'address is suppressed',
  not_in_topic: "subscriber left the bulletin's topic",
};

export class DeliveryLedger {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * Writes the eligible audience into the ledger in one INSERT … SELECT, the topic looked up first. Each row gets the
   * subscriber's language when the bulletin has it, else the bulletin's fallback language.
   * Safe to run twice: the UNIQUE (campaign, subscriber) constraint keeps the first rows.
   */
  async snapshotAudience(
    campaign: { id: number; rule: Rule; topic: string | null },
    languages: readonly string[],
    now: Date,
  ): Promise<number> {
    const fallback = languages[0]!;
    const at = now.toISOString();
    return this.db.transaction().execute(async (db) => {
      const topic = campaign.topic ? await topicRef(db, campaign.topic) : undefined;
      const audience = eligibleAudience(db, this.kind, campaign.rule, topic, now).as('audience');
      const result = await db
        .insertInto('deliveries')
        .columns(['campaign_id', 'subscriber_id', 'language', 'status', 'updated_at'])
        .expression(
          db
            .selectFrom(audience)
            .select((eb) => [
              sql.lit(campaign.id).as('campaign_id'),
              'audience.id',
              eb
                .case()
                .when('audience.language', 'in', languages)
                .then(eb.ref('audience.language'))
                .else(sql.lit(fallback))
                .end()
                .as('language'),
              sql.lit('queued').as('status'),
              sql.val(at).as('updated_at'),
            ])
            .orderBy('audience.id'),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'subscriber_id']).doNothing())
        .executeTakeFirst();
      // Counted again rather than from the rows written: one grouped read of the campaign's rows
      // costs less than a row trigger or than returning every row.
      await recountTallies(db, campaign.id);
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    });
  }

  /**
   * The campaign's queued deliveries cut into batches of `size` consecutive ids, each as its first
   * and last id. Cut by the database: a campaign of a million is 20,000 ranges read, not a million
   * ids held in the worker at once.
   */
  async queuedBatches(campaignId: number, size: number): Promise<DeliveryRange[]> {
    const numbered = this.db
      .selectFrom('deliveries')
      .select((eb) => [
        'id',
        sql<number>`(row_number() over (order by ${eb.ref('id')}) - 1) / ${sql.lit(size)}`.as('batch'),
      ])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'queued');
    const rows = await this.db
      .selectFrom(numbered.as('numbered'))
      .select((eb) => [eb.fn.min('id').as('fromId'), eb.fn.max('id').as('toId')])
      .groupBy('batch')
      .orderBy('batch')
      .execute();
    return rows.map((row) => ({ fromId: Number(row.fromId), toId: Number(row.toId) }));
  }

  /**
   * Rows of this batch still 'sending' under another claim were held by a worker that died
   * (BullMQ runs a batch again only when its holder lost it). Whether SES took them cannot be
   * known, so they become 'unknown': never re-sent on their own, counted, re-sendable by staff.
   */
  async markAbandoned(campaignId: number, range: DeliveryRange, claim: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await this.updateRange(campaignId, range, trx)
        .set({
          status: 'unknown',
          last_error: 'The worker stopped while sending; not re-sent automatically',
          claim: null,
          updated_at: nowIso(),
        })
        .where('status', '=', 'sending')
        .where((eb) => eb.or([eb('claim', 'is', null), eb('claim', '<>', claim)]))
        .returning('language')
        .execute();
      await addTallies(trx, campaignId, moved('sending', 'unknown', languagesOf(rows)));
      return rows.length;
    });
  }

  /**
   * Rows of a campaign still 'sending' when no job is left to settle them (Redis lost its jobs):
   * as for markAbandoned, whether SES took them cannot be known, so they become 'unknown'.
   */
  async markJoblessAbandoned(campaignId: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('deliveries')
        .set({
          status: 'unknown',
          last_error: 'Its batch job was lost while sending (Redis lost its data); not re-sent automatically',
          claim: null,
          updated_at: nowIso(),
        })
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'sending')
        .returning('language')
        .execute();
      await addTallies(trx, campaignId, moved('sending', 'unknown', languagesOf(rows)));
      return rows.length;
    });
  }

  /** Takes the batch's queued rows for this claim, atomically. */
  async claim(campaignId: number, range: DeliveryRange, claim: string): Promise<ClaimedDelivery[]> {
    const rows = await this.db.transaction().execute(async (trx) => {
      const claimed = await this.updateRange(campaignId, range, trx)
        .set((eb) => ({ status: 'sending', claim, attempts: eb('attempts', '+', 1), updated_at: nowIso() }))
        .where('status', '=', 'queued')
        .returning(['id', 'subscriber_id', 'language'])
        .execute();
      await addTallies(trx, campaignId, moved('queued', 'sending', languagesOf(claimed)));
      return claimed;
    });
    return rows
      .map((r) => ({ id: r.id, subscriberId: r.subscriber_id, language: r.language }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * The subscribers of claimed rows as they are now, each with the reason they may no longer be
   * mailed (the same as the snapshot's): an unsubscribe, a pause or leaving the bulletin's topic
   * since the snapshot stops their mail. With `readers`, each comes with their row as a block's
   * audience reads it (tags, topics, attributes, language), read now: a tag added during a send
   * counts from the next batch.
   */
  async recipients(
    subscriberIds: readonly number[],
    campaign: { topic: string | null },
    now: Date,
    options: { readers?: boolean } = {},
  ): Promise<Map<number, Recipient>> {
    if (subscriberIds.length === 0) return new Map();
    // Together, so that a database gone away rejects once, awaited, never as an unhandled rejection.
    const [rows, rowsRead] = await Promise.all([
      this.db
        .selectFrom('subscribers')
        .select((eb) => [
          'subscribers.id',
          'subscribers.email',
          'subscribers.name',
          exclusionReason(eb, campaign.topic ?? undefined, now).as('reason'),
        ])
        .where('subscribers.id', 'in', subscriberIds)
        .execute(),
      options.readers ? ruleReaders(this.db, subscriberIds) : undefined,
    ]);
    return new Map(
      rows.map((r) => {
        const reason = r.reason as ExclusionReason | 'eligible';
        const reader = rowsRead?.get(r.id);
        const skip = reason === 'eligible' ? null : SKIP_REASONS[reason];
        return [r.id, { id: r.id, email: r.email, name: r.name, skip, ...(reader ? { reader } : {}) }];
      }),
    );
  }

  /**
   * Settles a batch's claimed rows, in one UPDATE per outcome (the message ids of sent rows by a
   * CASE on the id), so the ledger costs a statement and a commit per batch, not per message.
   * A row the claim no longer holds is left as it is.
   */
  async settle(claim: string, settlements: readonly Settlement[]): Promise<void> {
    const now = nowIso();
    const sent = settlements.flatMap((s) =>
      s.outcome.status === 'sent' ? [{ id: s.id, messageId: s.outcome.messageId }] : [],
    );
    const unsent = new Map<string, { status: 'failed' | 'skipped' | 'queued'; error: string; ids: number[] }>();
    for (const { id, outcome } of settlements) {
      if (outcome.status === 'sent') continue;
      const error = outcome.error.slice(0, 1000);
      const key = `${outcome.status} ${error}`;
      const group = unsent.get(key) ?? unsent.set(key, { status: outcome.status, error, ids: [] }).get(key)!;
      group.ids.push(id);
    }
    await this.db.transaction().execute(async (trx) => {
      const claimed = (ids: readonly number[]) =>
        trx.updateTable('deliveries').where('id', 'in', ids).where('claim', '=', claim).where('status', '=', 'sending');
      // The rows each UPDATE settled, moved out of 'sending' in their campaign's tallies, all added by one
      // statement at the end: a transaction that locked tallies in two statements could deadlock with another
      // worker's settle (seen with three workers on PostgreSQL).
      let campaignId: number | undefined;
      const changes: TallyChange[] = [];
      const count = (rows: { campaign_id: number; language: string }[], to: DeliveryStatus, at?: string) => {
        campaignId ??= rows[0]?.campaign_id;
        changes.push(...moved('sending', to, languagesOf(rows), at));
      };
      if (sent.length) {
        const rows = await claimed(sent.map((s) => s.id))
          .set((eb) => {
            let messageId = eb.case('id').when(sent[0]!.id).then(sent[0]!.messageId);
            for (const s of sent.slice(1)) messageId = messageId.when(s.id).then(s.messageId);
            return {
              status: 'sent',
              message_id: messageId.end(),
              sent_at: now,
              last_error: null,
              claim: null,
              updated_at: now,
            };
          })
          .returning(['campaign_id', 'language'])
          .execute();
        count(rows, 'sent', now);
      }
      for (const { status, error, ids } of unsent.values()) {
        const rows = await claimed(ids)
          .set({ status, last_error: error, claim: null, updated_at: now })
          .returning(['campaign_id', 'language'])
          .execute();
        count(rows, status);
      }
      if (campaignId !== undefined) await addTallies(trx, campaignId, changes);
    });
  }

  /** A batch that BullMQ gave up on: its rows fail, with the last error, and can be retried. */
  async failRange(campaignId: number, range: DeliveryRange, error: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // One status at a time, so the tallies know where each row came from; added in one statement (see settle).
      const changes: TallyChange[] = [];
      for (const from of OPEN_DELIVERY_STATUSES) {
        const rows = await this.updateRange(campaignId, range, trx)
          .set({ status: 'failed', last_error: error.slice(0, 1000), claim: null, updated_at: nowIso() })
          .where('status', '=', from)
          .returning('language')
          .execute();
        changes.push(...moved(from, 'failed', languagesOf(rows)));
      }
      await addTallies(trx, campaignId, changes);
    });
  }

  async cancelQueued(campaignId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('deliveries')
        .set({ status: 'cancelled', updated_at: nowIso() })
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'queued')
        .execute();
      await recountTallies(trx, campaignId);
    });
  }

  /** Puts failed (and, when asked, unknown) rows back in the queue; returns how many. */
  async requeue(campaignId: number, statuses: readonly ('failed' | 'unknown')[]): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('deliveries')
        .set({ status: 'queued', claim: null, updated_at: nowIso() })
        .where('campaign_id', '=', campaignId)
        .where('status', 'in', statuses)
        .executeTakeFirst();
      await recountTallies(trx, campaignId);
      return Number(result.numUpdatedRows);
    });
  }

  /** An UPDATE of one batch's rows: the campaign's deliveries with ids in the range. */
  private updateRange(campaignId: number, range: DeliveryRange, db: Kysely<Tables> = this.db) {
    return db
      .updateTable('deliveries')
      .where('campaign_id', '=', campaignId)
      .where('id', '>=', range.fromId)
      .where('id', '<=', range.toId);
  }
}

/** The languages of changed rows, one entry a row. */
function languagesOf(rows: readonly { language: string }[]): string[] {
  return rows.map((r) => r.language);
}

/** Counts with every status at 0, to add a ledger's grouped counts to. */
export function emptyCounts(): Counts {
  return Object.fromEntries([...DELIVERY_STATUSES.map((s) => [s, 0]), ['total', 0]]) as Counts;
}
