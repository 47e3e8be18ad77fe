// Campaigns and their delivery ledger. Every state change is a conditional UPDATE (it happens
// only from the states it may come from), and every change to a delivery row names the claim
// that holds it, so two workers can never both act on one row.
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { audienceQuery, exclusionReason, type ExclusionReason } from '../audience/audience-store.js';
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
  outcomes: CampaignOutcomes;
}

/**
 * What became of a campaign's mail after SES took it: deliveries SES reported, and the people
 * whose address bounced for good, who complained or who unsubscribed through its links (each
 * counted once, from the consent log; an erased subscriber leaves no trace there).
 */
export interface CampaignOutcomes {
  delivered: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
}

/** A campaign beside others: how many were sent, what became of them, and each as a share of sent. */
export interface CampaignSummary extends CampaignOutcomes {
  id: number;
  bulletinId: number;
  bulletinTitle: string;
  tracking: 'aggregate' | 'off';
  startedAt: string | null;
  finishedAt: string | null;
  sent: number;
  /** Clicks on tracked links; null for a send without tracking. */
  clicks: number | null;
  /** Each count divided by `sent` (clicks may pass 1: one reader can click many times); null before anything was sent. */
  rates: Record<keyof CampaignOutcomes | 'clicks', number | null> | null;
}

/** A campaign in the list: its bulletin's title and its ledger counts by status. */
export interface CampaignListItem extends Campaign {
  bulletinTitle: string;
  counts: CampaignReport['counts'];
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

/** What became of one claimed row. */
export interface Settlement {
  id: number;
  outcome: { status: 'sent'; messageId: string } | { status: 'failed' | 'skipped' | 'queued'; error: string };
}

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

/** Deliveries in these statuses are done: nothing will happen to them unless staff retry. */
const OPEN: DeliveryStatus[] = ['queued', 'sending'];

/** States in which a campaign may have ended before sending anything. */
const FINAL_WITHOUT_MAIL = new Set<CampaignState>(['cancelled', 'failed']);

/** How many earlier sends a campaign's report is compared with. */
export const COMPARED_CAMPAIGNS = 5;

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

  /** The newest 500 campaigns (of one bulletin when asked) with their bulletin's title and their counts by delivery status. */
  async list(filter: { bulletinId?: number | undefined } = {}): Promise<CampaignListItem[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .innerJoin('bulletins', 'bulletins.id', 'campaigns.bulletin_id')
      .selectAll('campaigns')
      .select('bulletins.title as bulletin_title')
      .$if(filter.bulletinId !== undefined, (qb) => qb.where('campaigns.bulletin_id', '=', filter.bulletinId!))
      .orderBy('campaigns.id', 'desc')
      .limit(500)
      .execute();
    if (rows.length === 0) return [];
    // One grouped query for all of them; (campaign_id, status) is an index, so the ledger's rows are not read.
    const groups = await this.db
      .selectFrom('deliveries')
      .select(['campaign_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where(
        'campaign_id',
        'in',
        rows.map((r) => r.id),
      )
      .groupBy(['campaign_id', 'status'])
      .execute();
    const counts = new Map(rows.map((r) => [r.id, emptyCounts()]));
    for (const { campaign_id, status, n } of groups) {
      const c = counts.get(campaign_id)!;
      c[status] += Number(n);
      c.total += Number(n);
    }
    return rows.map((row) => ({ ...toCampaign(row), bulletinTitle: row.bulletin_title, counts: counts.get(row.id)! }));
  }

  /**
   * The bulletin's sends that reached someone or are still to come, newest first: a campaign
   * cancelled or failed before it sent anything does not count.
   */
  async sendsOf(bulletinId: number): Promise<CampaignListItem[]> {
    return (await this.list({ bulletinId })).filter(
      (c) => !FINAL_WITHOUT_MAIL.has(c.state) || c.counts.sent + c.counts.unknown > 0,
    );
  }

  /**
   * The campaign and the COMPARED_CAMPAIGNS sends that started before it (newest first), each
   * summarised. Three grouped queries for all of them, one per table, however many they are.
   */
  async comparison(id: number): Promise<{ campaign: CampaignSummary; previous: CampaignSummary[] }> {
    const campaign = await this.get(id);
    const before = campaign.startedAt ?? campaign.scheduledAt;
    const rows = await this.db
      .selectFrom('campaigns')
      .innerJoin('bulletins', 'bulletins.id', 'campaigns.bulletin_id')
      .select([
        'campaigns.id',
        'campaigns.bulletin_id',
        'bulletins.title',
        'campaigns.tracking',
        'campaigns.started_at',
        'campaigns.finished_at',
      ])
      .where((eb) =>
        eb.or([
          eb('campaigns.id', '=', id),
          eb.and([
            eb('campaigns.state', '=', 'sent'),
            eb('campaigns.id', '<>', id),
            eb('campaigns.started_at', '<', before),
          ]),
        ]),
      )
      // This campaign first, then the others from the latest start back.
      .orderBy((eb) => eb.case().when('campaigns.id', '=', id).then(0).else(1).end())
      .orderBy('campaigns.started_at', 'desc')
      .orderBy('campaigns.id', 'desc')
      .limit(COMPARED_CAMPAIGNS + 1)
      .execute();
    const ids = rows.map((r) => r.id);
    const [ledger, outcomes, clicks] = await Promise.all([
      this.db
        .selectFrom('deliveries')
        .select((eb) => ['campaign_id', eb.fn.count('sent_at').as('sent'), eb.fn.count('delivered_at').as('delivered')])
        .where('campaign_id', 'in', ids)
        .groupBy('campaign_id')
        .execute(),
      this.consentOutcomes(ids),
      this.db
        .selectFrom('campaign_links')
        .select((eb) => ['campaign_id', eb.fn.sum<number>('clicks').as('clicks')])
        .where('campaign_id', 'in', ids)
        .groupBy('campaign_id')
        .execute(),
    ]);
    const summaries = rows.map((row): CampaignSummary => {
      const counted = ledger.find((l) => l.campaign_id === row.id);
      const sent = Number(counted?.sent ?? 0);
      const counts = {
        delivered: Number(counted?.delivered ?? 0),
        ...(outcomes.get(row.id) ?? { bounced: 0, complained: 0, unsubscribed: 0 }),
        clicks: row.tracking === 'off' ? null : Number(clicks.find((c) => c.campaign_id === row.id)?.clicks ?? 0),
      };
      const share = (n: number | null) => (n === null ? null : Math.round((n / sent) * 10_000) / 10_000);
      return {
        id: row.id,
        bulletinId: row.bulletin_id,
        bulletinTitle: row.title,
        tracking: row.tracking,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        sent,
        ...counts,
        rates:
          sent === 0
            ? null
            : {
                delivered: share(counts.delivered),
                bounced: share(counts.bounced),
                complained: share(counts.complained),
                unsubscribed: share(counts.unsubscribed),
                clicks: share(counts.clicks),
              },
      };
    });
    return { campaign: summaries[0]!, previous: summaries.slice(1) };
  }

  /** Moves the campaign to `to` if it is in one of `from`; says whether it did. */
  async transition(
    id: number,
    from: readonly CampaignState[],
    to: CampaignState,
    changes: Partial<
      Pick<Selectable<CampaignsTable>, 'started_at' | 'finished_at' | 'state_reason' | 'scheduled_at'>
    > & { nextRun?: boolean } = {},
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
    await this.db
      .updateTable('campaigns')
      .set({ templates: JSON.stringify(templates) })
      .where('id', '=', id)
      .execute();
  }

  async templates(id: number): Promise<Record<string, CompiledBulletin> | null> {
    const row = await this.db
      .selectFrom('campaigns')
      .select('templates')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
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
    for (let i = 0; i < rows.length; i += size)
      batches.push({ fromId: rows[i]!.id, toId: rows[Math.min(rows.length, i + size) - 1]!.id });
    return batches;
  }

  /**
   * Rows of this batch still 'sending' under another claim were held by a worker that died
   * (BullMQ runs a batch again only when its holder lost it). Whether SES took them cannot be
   * known, so they become 'unknown': never re-sent on their own, counted, re-sendable by staff.
   */
  async markAbandoned(campaignId: number, range: { fromId: number; toId: number }, claim: string): Promise<number> {
    const result = await this.updateRange(campaignId, range)
      .set({
        status: 'unknown',
        last_error: 'The worker stopped while sending; not re-sent automatically',
        claim: null,
        updated_at: nowIso(),
      })
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
    return rows
      .map((r) => ({ id: r.id, subscriberId: r.subscriber_id, language: r.language }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * The subscribers of claimed rows as they are now, each with the reason they may no longer be
   * mailed (the same as the snapshot's): an unsubscribe, a pause or leaving the bulletin's topic
   * since the snapshot stops their mail.
   */
  async recipients(
    subscriberIds: readonly number[],
    campaign: Pick<Campaign, 'topic'>,
    now: Date,
  ): Promise<Map<number, Recipient>> {
    if (subscriberIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('subscribers')
      .select((eb) => [
        'subscribers.id',
        'subscribers.email',
        'subscribers.name',
        exclusionReason(eb, campaign.topic ?? undefined, now).as('reason'),
      ])
      .where('subscribers.id', 'in', subscriberIds)
      .execute();
    return new Map(
      rows.map((r) => {
        const reason = r.reason as ExclusionReason | 'eligible';
        return [
          r.id,
          { id: r.id, email: r.email, name: r.name, skip: reason === 'eligible' ? null : SKIP_REASONS[reason] },
        ];
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
    const claimed = (ids: readonly number[]) =>
      this.db
        .updateTable('deliveries')
        .where('id', 'in', ids)
        .where('claim', '=', claim)
        .where('status', '=', 'sending');
    if (sent.length) {
      await claimed(sent.map((s) => s.id))
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
        .execute();
    }
    for (const { status, error, ids } of unsent.values()) {
      await claimed(ids).set({ status, last_error: error, claim: null, updated_at: now }).execute();
    }
  }

  /** Counts send errors in a row: `reset` after a success, then `add` the failures; returns the count. */
  async countError(campaignId: number, change: { reset: boolean; add: number }): Promise<number> {
    const update = this.db.updateTable('campaigns').where('id', '=', campaignId);
    if (change.reset && change.add === 0) {
      // The usual batch, all sent: the count is 0, and written only when it was not (no commit to wait for).
      await update.set({ consecutive_errors: 0 }).where('consecutive_errors', '<>', 0).execute();
      return 0;
    }
    const row = await update
      .set((eb) => ({ consecutive_errors: change.reset ? change.add : eb('consecutive_errors', '+', change.add) }))
      .returning('consecutive_errors')
      .executeTakeFirstOrThrow();
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
  async registerLinks(
    campaignId: number,
    links: readonly { block: number; url: string }[],
  ): Promise<Map<string, number>> {
    if (links.length) {
      await this.db
        .insertInto('campaign_links')
        .values(links.map((l) => ({ campaign_id: campaignId, block: l.block, url: l.url })))
        .onConflict((oc) => oc.columns(['campaign_id', 'block', 'url']).doNothing())
        .execute();
    }
    const rows = await this.db
      .selectFrom('campaign_links')
      .select(['id', 'block', 'url'])
      .where('campaign_id', '=', campaignId)
      .execute();
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
    const [groups, errors, timing, links, outcomes] = await Promise.all([
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
        .select((eb) => [
          eb.fn.min('sent_at').as('first'),
          eb.fn.max('sent_at').as('last'),
          eb.fn.count('sent_at').as('sent'),
          eb.fn.count('delivered_at').as('delivered'),
        ])
        .where('campaign_id', '=', id)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('campaign_links')
        .select(['block', 'url', 'clicks'])
        .where('campaign_id', '=', id)
        .orderBy('block')
        .orderBy('id')
        .execute(),
      this.consentOutcomes([id]),
    ]);
    const counts = emptyCounts();
    const byLanguage: CampaignReport['byLanguage'] = {};
    for (const { status, language, n } of groups) {
      counts[status] += Number(n);
      counts.total += Number(n);
      const lang = (byLanguage[language] ??= {});
      lang[status] = (lang[status] ?? 0) + Number(n);
    }
    const seconds =
      timing.first && timing.last ? (Date.parse(String(timing.last)) - Date.parse(String(timing.first))) / 1000 : 0;
    return {
      ...campaign,
      counts,
      byLanguage,
      rate: Number(timing.sent) > 1 && seconds > 0 ? Math.round((Number(timing.sent) / seconds) * 10) / 10 : null,
      lastErrors: errors.map((e) => ({ deliveryId: e.id, status: e.status, error: e.last_error!, at: e.updated_at })),
      links,
      outcomes: {
        delivered: Number(timing.delivered),
        ...(outcomes.get(id) ?? { bounced: 0, complained: 0, unsubscribed: 0 }),
      },
    };
  }

  /** People who bounced, complained or unsubscribed because of each campaign, each counted once. */
  private async consentOutcomes(ids: readonly number[]): Promise<Map<number, Omit<CampaignOutcomes, 'delivered'>>> {
    if (ids.length === 0) return new Map();
    const once = (eb: ExpressionBuilder<Tables, 'consent_events'>, event: string) =>
      eb.fn.count(eb.case().when('event', '=', event).then(eb.ref('subscriber_id')).end()).distinct();
    const rows = await this.db
      .selectFrom('consent_events')
      .select((eb) => [
        'campaign_id',
        once(eb, 'bounced').as('bounced'),
        once(eb, 'complained').as('complained'),
        once(eb, 'unsubscribed').as('unsubscribed'),
      ])
      .where('campaign_id', 'in', ids)
      .where('event', 'in', ['bounced', 'complained', 'unsubscribed'])
      .groupBy('campaign_id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.campaign_id!,
        { bounced: Number(r.bounced), complained: Number(r.complained), unsubscribed: Number(r.unsubscribed) },
      ]),
    );
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

function emptyCounts(): CampaignReport['counts'] {
  return Object.fromEntries([...DELIVERY_STATUSES.map((s) => [s, 0]), ['total', 0]]) as CampaignReport['counts'];
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
