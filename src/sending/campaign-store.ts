// Campaigns and their delivery ledger. Every state change is a conditional UPDATE (it happens
// only from the states it may come from), and every change to a delivery row names the claim
// that holds it, so two workers can never both act on one row.
import { sql, type Kysely, type Selectable } from 'kysely';
import { audienceQuery } from '../audience/audience-store.js';
import type { Rule } from '../audience/rules.js';
import type { DatabaseKind } from '../db/database.js';
import {
  DELIVERY_STATUSES,
  nowIso,
  parseJson,
  type CampaignState,
  type CampaignsTable,
  type DeliveryStatus,
  type Tables,
} from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { CompiledBulletin } from '../render/render.js';

export interface Campaign {
  id: number;
  bulletinId: number;
  bulletinVersionId: number;
  segmentId: number | null;
  rule: Rule;
  topic: string | null;
  state: CampaignState;
  tracking: 'aggregate' | 'off';
  scheduledAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the campaign is paused or failed. */
  stateReason: string | null;
  run: number;
  createdAt: string;
}

export interface CampaignReport extends Campaign {
  counts: Record<DeliveryStatus, number> & { total: number };
  byLanguage: Record<string, Partial<Record<DeliveryStatus, number>>>;
  /** Messages sent per second since the first one, or null before it. */
  rate: number | null;
  lastErrors: { deliveryId: number; status: DeliveryStatus; error: string; at: string }[];
  /** Clicks per block and link, in aggregate only. */
  links: { block: number; url: string; clicks: number }[];
}

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
}

/** Deliveries in these statuses are done: nothing will happen to them unless staff retry. */
const OPEN: DeliveryStatus[] = ['queued', 'sending'];

export class CampaignStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly kind: DatabaseKind,
  ) {}

  async create(input: {
    bulletinId: number;
    bulletinVersionId: number;
    segmentId: number | null;
    rule: Rule;
    topic: string | null;
    scheduledAt: string;
    tracking: 'aggregate' | 'off';
  }): Promise<Campaign> {
    const now = nowIso();
    const row = await this.db
      .insertInto('campaigns')
      .values({
        bulletin_id: input.bulletinId,
        bulletin_version_id: input.bulletinVersionId,
        segment_id: input.segmentId,
        rule: JSON.stringify(input.rule),
        topic: input.topic,
        state: 'scheduled',
        tracking: input.tracking,
        scheduled_at: input.scheduledAt,
        started_at: null,
        finished_at: null,
        state_reason: null,
        templates: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCampaign(row);
  }

  async get(id: number): Promise<Campaign> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `No campaign with id ${id}`);
    return toCampaign(row);
  }

  async list(): Promise<Campaign[]> {
    return (await this.db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').limit(500).execute()).map(toCampaign);
  }

  /** Moves the campaign to `to` if it is in one of `from`; says whether it did. */
  async transition(
    id: number,
    from: readonly CampaignState[],
    to: CampaignState,
    changes: Partial<Pick<Selectable<CampaignsTable>, 'started_at' | 'finished_at' | 'state_reason' | 'scheduled_at'>> & { nextRun?: boolean } = {},
  ): Promise<boolean> {
    const { nextRun, ...columns } = changes;
    const result = await this.db
      .updateTable('campaigns')
      .set((eb) => ({
        state: to,
        ...columns,
        ...(nextRun ? { run: eb('run', '+', 1), consecutive_errors: 0 } : {}),
        updated_at: nowIso(),
      }))
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setScheduledAt(id: number, scheduledAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ scheduled_at: scheduledAt, updated_at: nowIso() })
      .where('id', '=', id)
      .where('state', '=', 'scheduled')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async saveTemplates(id: number, templates: Record<string, CompiledBulletin>): Promise<void> {
    await this.db.updateTable('campaigns').set({ templates: JSON.stringify(templates) }).where('id', '=', id).execute();
  }

  async templates(id: number): Promise<Record<string, CompiledBulletin> | null> {
    const row = await this.db.selectFrom('campaigns').select('templates').where('id', '=', id).executeTakeFirstOrThrow();
    return row.templates === null ? null : parseJson(row.templates);
  }

  /**
   * Writes the eligible audience into the ledger in one INSERT … SELECT. Each row gets the
   * subscriber's language when the bulletin has it, else the bulletin's fallback language.
   * Safe to run twice: the UNIQUE (campaign, subscriber) constraint keeps the first rows.
   */
  async snapshotAudience(campaign: Campaign, languages: readonly string[], now: Date): Promise<number> {
    const fallback = languages[0]!;
    const audience = audienceQuery(this.db, this.kind, campaign.rule, campaign.topic ?? undefined, now).as('audience');
    const at = now.toISOString();
    const result = await this.db
      .insertInto('deliveries')
      .columns(['campaign_id', 'subscriber_id', 'language', 'status', 'updated_at'])
      .expression(
        this.db
          .selectFrom(audience)
          .select((eb) => [
            sql.lit(campaign.id).as('campaign_id'),
            'audience.id',
            eb.case().when('audience.language', 'in', languages).then(eb.ref('audience.language')).else(sql.lit(fallback)).end().as('language'),
            sql.lit('queued').as('status'),
            sql.val(at).as('updated_at'),
          ])
          .where('audience.reason', '=', 'eligible')
          .orderBy('audience.id'),
      )
      .onConflict((oc) => oc.columns(['campaign_id', 'subscriber_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  /** Ids of the campaign's queued deliveries, cut into batches of consecutive ids. */
  async queuedBatches(campaignId: number, size: number): Promise<{ fromId: number; toId: number }[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'queued')
      .orderBy('id')
      .execute();
    const batches: { fromId: number; toId: number }[] = [];
    for (let i = 0; i < rows.length; i += size) batches.push({ fromId: rows[i]!.id, toId: rows[Math.min(rows.length, i + size) - 1]!.id });
    return batches;
  }

  /**
   * Rows of this batch still 'sending' under another claim were held by a worker that died
   * (BullMQ runs a batch again only when its holder lost it). Whether SES took them cannot be
   * known, so they become 'unknown': never re-sent on their own, counted, re-sendable by staff.
   */
  async markAbandoned(campaignId: number, range: { fromId: number; toId: number }, claim: string): Promise<number> {
    const result = await this.updateRange(campaignId, range)
      .set({ status: 'unknown', last_error: 'The worker stopped while sending; not re-sent automatically', claim: null, updated_at: nowIso() })
      .where('status', '=', 'sending')
      .where((eb) => eb.or([eb('claim', 'is', null), eb('claim', '<>', claim)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Takes the batch's queued rows for this claim, atomically. */
  async claim(campaignId: number, range: { fromId: number; toId: number }, claim: string): Promise<ClaimedDelivery[]> {
    const rows = await this.updateRange(campaignId, range)
      .set((eb) => ({ status: 'sending', claim, attempts: eb('attempts', '+', 1), updated_at: nowIso() }))
      .where('status', '=', 'queued')
      .returning(['id', 'subscriber_id', 'language'])
      .execute();
    return rows.map((r) => ({ id: r.id, subscriberId: r.subscriber_id, language: r.language })).sort((a, b) => a.id - b.id);
  }

  /** The subscribers of claimed rows as they are now: an unsubscribe since the snapshot stops their mail. */
  async recipients(subscriberIds: readonly number[], now: Date): Promise<Map<number, Recipient>> {
    if (subscriberIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('subscribers')
      .select((eb) => [
        'subscribers.id',
        'subscribers.email',
        'subscribers.name',
        'subscribers.status',
        'subscribers.paused_until',
        eb
          .exists(eb.selectFrom('suppressions').select(sql`1`.as('one')).whereRef('suppressions.email_hash', '=', 'subscribers.email_hash'))
          .as('suppressed'),
      ])
      .where('subscribers.id', 'in', subscriberIds)
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          email: r.email,
          name: r.name,
          skip:
            r.status !== 'active'
              ? `subscriber is ${r.status}`
              : r.paused_until && r.paused_until > now.toISOString()
                ? 'subscriber paused their mail'
                : r.suppressed && Number(r.suppressed)
                  ? 'address is suppressed'
                  : null,
        },
      ]),
    );
  }

  /** Settles one claimed row; does nothing when the claim no longer holds it. */
  async settle(id: number, claim: string, outcome: { status: 'sent'; messageId: string } | { status: 'failed' | 'skipped' | 'queued'; error: string }): Promise<void> {
    const now = nowIso();
    await this.db
      .updateTable('deliveries')
      .set(
        outcome.status === 'sent'
          ? { status: 'sent', message_id: outcome.messageId, sent_at: now, last_error: null, claim: null, updated_at: now }
          : { status: outcome.status, last_error: outcome.error.slice(0, 1000), claim: null, updated_at: now },
      )
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('status', '=', 'sending')
      .execute();
  }

  /** Counts send errors in a row: `reset` after a success, then `add` the failures; returns the count. */
  async countError(campaignId: number, change: { reset: boolean; add: number }): Promise<number> {
    await this.db
      .updateTable('campaigns')
      .set((eb) => ({ consecutive_errors: change.reset ? change.add : eb('consecutive_errors', '+', change.add) }))
      .where('id', '=', campaignId)
      .execute();
    const row = await this.db.selectFrom('campaigns').select('consecutive_errors').where('id', '=', campaignId).executeTakeFirstOrThrow();
    return row.consecutive_errors;
  }

  /** A batch that BullMQ gave up on: its rows fail, with the last error, and can be retried. */
  async failRange(campaignId: number, range: { fromId: number; toId: number }, error: string): Promise<void> {
    await this.updateRange(campaignId, range)
      .set({ status: 'failed', last_error: error.slice(0, 1000), claim: null, updated_at: nowIso() })
      .where('status', 'in', OPEN)
      .execute();
  }

  /** Marks the campaign sent once no row is queued or sending; says whether it did. */
  async finishIfDone(campaignId: number): Promise<boolean> {
    const open = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', OPEN)
      .limit(1)
      .executeTakeFirst();
    if (open) return false;
    return this.transition(campaignId, ['sending'], 'sent', { finished_at: nowIso() });
  }

  async cancelQueued(campaignId: number): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ status: 'cancelled', updated_at: nowIso() })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'queued')
      .execute();
  }

  /** Puts failed (and, when asked, unknown) rows back in the queue; returns how many. */
  async requeue(campaignId: number, statuses: readonly ('failed' | 'unknown')[]): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'queued', claim: null, updated_at: nowIso() })
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', statuses)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Registers the campaign's links (again is fine); returns each link's id by `block url`. */
  async registerLinks(campaignId: number, links: readonly { block: number; url: string }[]): Promise<Map<string, number>> {
    if (links.length) {
      await this.db
        .insertInto('campaign_links')
        .values(links.map((l) => ({ campaign_id: campaignId, block: l.block, url: l.url })))
        .onConflict((oc) => oc.columns(['campaign_id', 'block', 'url']).doNothing())
        .execute();
    }
    const rows = await this.db.selectFrom('campaign_links').select(['id', 'block', 'url']).where('campaign_id', '=', campaignId).execute();
    return new Map(rows.map((r) => [`${r.block} ${r.url}`, r.id]));
  }

  /** Counts a click and gives the link's address, or undefined for an unknown link. */
  async click(linkId: number): Promise<string | undefined> {
    const row = await this.db
      .updateTable('campaign_links')
      .set((eb) => ({ clicks: eb('clicks', '+', 1) }))
      .where('id', '=', linkId)
      .returning('url')
      .executeTakeFirst();
    return row?.url;
  }

  async report(id: number): Promise<CampaignReport> {
    const campaign = await this.get(id);
    const [groups, errors, timing, links] = await Promise.all([
      this.db
        .selectFrom('deliveries')
        .select(['status', 'language', (eb) => eb.fn.countAll<number>().as('n')])
        .where('campaign_id', '=', id)
        .groupBy(['status', 'language'])
        .execute(),
      this.db
        .selectFrom('deliveries')
        .select(['id', 'status', 'last_error', 'updated_at'])
        .where('campaign_id', '=', id)
        .where('last_error', 'is not', null)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(10)
        .execute(),
      this.db
        .selectFrom('deliveries')
        .select((eb) => [eb.fn.min('sent_at').as('first'), eb.fn.max('sent_at').as('last'), eb.fn.count('sent_at').as('sent')])
        .where('campaign_id', '=', id)
        .executeTakeFirstOrThrow(),
      this.db.selectFrom('campaign_links').select(['block', 'url', 'clicks']).where('campaign_id', '=', id).orderBy('block').orderBy('id').execute(),
    ]);
    const counts = Object.fromEntries([...DELIVERY_STATUSES.map((s) => [s, 0]), ['total', 0]]) as CampaignReport['counts'];
    const byLanguage: CampaignReport['byLanguage'] = {};
    for (const { status, language, n } of groups) {
      counts[status] += Number(n);
      counts.total += Number(n);
      const lang = (byLanguage[language] ??= {});
      lang[status] = (lang[status] ?? 0) + Number(n);
    }
    const seconds = timing.first && timing.last ? (Date.parse(String(timing.last)) - Date.parse(String(timing.first))) / 1000 : 0;
    return {
      ...campaign,
      counts,
      byLanguage,
      rate: Number(timing.sent) > 1 && seconds > 0 ? Math.round((Number(timing.sent) / seconds) * 10) / 10 : null,
      lastErrors: errors.map((e) => ({ deliveryId: e.id, status: e.status, error: e.last_error!, at: e.updated_at })),
      links,
    };
  }

  /** An UPDATE of one batch's rows: the campaign's deliveries with ids in the range. */
  private updateRange(campaignId: number, range: { fromId: number; toId: number }) {
    return this.db
      .updateTable('deliveries')
      .where('campaign_id', '=', campaignId)
      .where('id', '>=', range.fromId)
      .where('id', '<=', range.toId);
  }
}

function toCampaign(row: Selectable<CampaignsTable>): Campaign {
  return {
    id: row.id,
    bulletinId: row.bulletin_id,
    bulletinVersionId: row.bulletin_version_id,
    segmentId: row.segment_id,
    rule: parseJson<Rule>(row.rule),
    topic: row.topic,
    state: row.state,
    tracking: row.tracking,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    stateReason: row.state_reason,
    run: row.run,
    createdAt: row.created_at,
  };
}
