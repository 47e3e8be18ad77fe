// Campaign rows and their states. Every state change is a named operation in one table of
// allowed transitions, done as a conditional UPDATE: it happens only from the states it may
// come from, so two callers racing (staff pausing, a worker finishing) cannot both win.
import type { Kysely, Selectable } from 'kysely';
import type { Rule } from '../audience/rules.js';
import {
  nowIso,
  parseJson,
  type CampaignKind,
  type CampaignState,
  type CampaignsTable,
  type Tables,
} from '../db/schema.js';
import { AppError } from '../errors.js';
import type { CompiledBulletin } from '../render/render.js';
import type { CampaignEventType } from '../webhooks/event-types.js';
import { recordEvents } from '../webhooks/outbox.js';
import { emptyCounts, OPEN_DELIVERY_STATUSES } from './delivery-ledger.js';
import type { Campaign, CampaignListItem, Priority, Tracking } from './schemas.js';
import type { Requester } from './send-policy.js';

/**
 * The campaign's state machine: each operation, the states it may come from and the state it
 * leads to. From any other state the operation changes nothing and says so.
 */
export const CAMPAIGN_TRANSITIONS = {
  /** The start job took it: render, snapshot the audience. */
  start: { from: ['scheduled'], to: 'preparing' },
  /** Prepared: its batches go to the queue. */
  startSending: { from: ['preparing'], to: 'sending' },
  /** By staff, by SES pausing the account, or after too many send errors in a row. */
  pause: { from: ['sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  /** Rows requeued by staff get a new run; a finished campaign is sending again. */
  rerun: { from: ['sending', 'sent'], to: 'sending' },
  /** The queue sweep: a campaign whose jobs Redis lost gets a new run, to queue its rows again. */
  requeueLost: { from: ['sending'], to: 'sending' },
  /** Only once no delivery is queued or sending. */
  finish: { from: ['sending'], to: 'sent' },
  cancel: { from: ['awaiting_approval', 'scheduled', 'preparing', 'sending', 'paused'], to: 'cancelled' },
  /** It could not even be prepared (its bulletin version gone, its rule unreadable). */
  fail: { from: ['scheduled', 'preparing'], to: 'failed' },
  /** A new time for a campaign that has not started. */
  reschedule: { from: ['scheduled'], to: 'scheduled' },
  /** Another editor or admin approved the request: it goes at its time, or now if that has passed. */
  approve: { from: ['awaiting_approval'], to: 'scheduled' },
  /** Declined, with the approver's comment as its reason. */
  decline: { from: ['awaiting_approval'], to: 'declined' },
  /** The bulletin was saved again after the request: what was asked for is no longer what would go. */
  withdraw: { from: ['awaiting_approval'], to: 'withdrawn' },
} as const satisfies Record<string, { from: readonly CampaignState[]; to: CampaignState }>;

export type CampaignOperation = keyof typeof CAMPAIGN_TRANSITIONS;

/** Columns an operation may write beside the state. */
type StateChanges = Partial<
  Pick<Selectable<CampaignsTable>, 'started_at' | 'finished_at' | 'state_reason' | 'scheduled_at' | 'logo_url'>
> & { nextRun?: boolean };

/**
 * The webhook event each operation records, in its own transaction. A campaign cancelled or failed
 * before it started says nothing: `campaign.finished` follows only a `campaign.started`.
 */
const ANNOUNCED: Partial<Record<CampaignOperation, CampaignEventType>> = {
  start: 'campaign.started',
  finish: 'campaign.finished',
  cancel: 'campaign.finished',
  fail: 'campaign.finished',
};

/** States in which a campaign may have ended before sending anything. */
const FINAL_WITHOUT_MAIL = new Set<CampaignState>(['cancelled', 'failed', 'declined', 'withdrawn']);

export class CampaignStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(input: {
    bulletinId: number;
    bulletinVersionId: number;
    segmentId: number | null;
    rule: Rule;
    topic: string | null;
    scheduledAt: string;
    tracking: Tracking;
    archive: boolean;
    /** 'normal' when left out. */
    priority?: Priority | undefined;
    /** Given, the campaign waits for approval instead of its time: who asked, and how many it reached then. */
    approval?: { requester: Requester; audience: number } | undefined;
    /** 'bulletin' when left out; 'welcome' for the welcome mail's (src/sending/welcome-mail.ts). */
    kind?: CampaignKind | undefined;
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
        state: input.approval ? 'awaiting_approval' : 'scheduled',
        requested_by_kind: input.approval?.requester.kind ?? null,
        requested_by_id: input.approval?.requester.id ?? null,
        requested_audience: input.approval?.audience ?? null,
        tracking: input.tracking,
        archive: input.archive ? 1 : 0,
        priority: input.priority ?? 'normal',
        kind: input.kind ?? 'bulletin',
        scheduled_at: input.scheduledAt,
        started_at: null,
        finished_at: null,
        state_reason: null,
        templates: null,
        created_at: now,
        updated_at: now,
      })
      .returning(CAMPAIGN_COLUMNS)
      .executeTakeFirstOrThrow();
    return toCampaign(row);
  }

  async get(id: number): Promise<Campaign> {
    const row = await this.db.selectFrom('campaigns').select(CAMPAIGN_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `No campaign with id ${id}`);
    return toCampaign(row);
  }

  /**
   * The newest 500 sends (of one bulletin when asked) with their bulletin's title and their counts by
   * delivery status. The welcome mail's campaigns are not sends of their bulletin: their reports are
   * reached from the welcome mail's settings.
   */
  async list(filter: { bulletinId?: number | undefined } = {}): Promise<CampaignListItem[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .innerJoin('bulletins', 'bulletins.id', 'campaigns.bulletin_id')
      .select(CAMPAIGN_COLUMNS.map((column) => `campaigns.${column}` as const))
      .select('bulletins.title as bulletin_title')
      .where('campaigns.kind', '=', 'bulletin')
      .$if(filter.bulletinId !== undefined, (qb) => qb.where('campaigns.bulletin_id', '=', filter.bulletinId!))
      .orderBy('campaigns.id', 'desc')
      .limit(500)
      .execute();
    if (rows.length === 0) return [];
    // One grouped query for all of them, of the ledger's tallies (delivery-tallies.ts), not its rows.
    const groups = await this.db
      .selectFrom('delivery_tallies')
      .select(['campaign_id', 'status', (eb) => eb.fn.sum<number>('deliveries').as('n')])
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
   * The start job took the campaign, recording the settings' logo of now, which its mail and archive
   * pages show; says whether it did (a second start finds it preparing, its logo recorded).
   */
  start(id: number, logoUrl: string): Promise<boolean> {
    return this.transition('start', id, { started_at: nowIso(), logo_url: logoUrl });
  }

  /** The logo recorded when the campaign started ('' for none; null before it started). */
  async logoUrl(id: number): Promise<string | null> {
    const row = await this.db.selectFrom('campaigns').select('logo_url').where('id', '=', id).executeTakeFirstOrThrow();
    return row.logo_url;
  }

  startSending(id: number): Promise<boolean> {
    return this.transition('startSending', id);
  }

  /** Pauses a sending campaign, saying why on it; says whether it did. */
  pause(id: number, reason: string): Promise<boolean> {
    return this.transition('pause', id, { state_reason: reason });
  }

  /** Resumes a paused campaign in a new run, its reason cleared; says whether it did. */
  resume(id: number): Promise<boolean> {
    return this.transition('resume', id, { state_reason: null, nextRun: true });
  }

  /** Starts a new run for requeued rows; a finished campaign is sending again. */
  rerun(id: number): Promise<boolean> {
    return this.transition('rerun', id, { finished_at: null, nextRun: true });
  }

  /**
   * Starts a new run for a sending campaign whose jobs Redis lost, only if it is still in run
   * `fromRun`: a resume or a retry since then started a run of its own.
   */
  requeueLost(id: number, fromRun: number): Promise<boolean> {
    return this.transition('requeueLost', id, { nextRun: true }, fromRun);
  }

  /**
   * Marks the campaign sent once no delivery is queued or sending; says whether it did. The live
   * welcome mail's campaign stays open: whoever confirms next gets a row in it.
   */
  async finish(id: number): Promise<boolean> {
    if (await this.isLiveWelcome(id)) return false;
    const open = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', id)
      .where('status', 'in', OPEN_DELIVERY_STATUSES)
      .limit(1)
      .executeTakeFirst();
    if (open) return false;
    return this.transition('finish', id, { finished_at: nowIso() });
  }

  cancel(id: number): Promise<boolean> {
    return this.transition('cancel', id, { finished_at: nowIso() });
  }

  /** Ends a campaign that could not be prepared, saying why on it. */
  fail(id: number, reason: string): Promise<boolean> {
    return this.transition('fail', id, { finished_at: nowIso(), state_reason: reason });
  }

  reschedule(id: number, scheduledAt: string): Promise<boolean> {
    return this.transition('reschedule', id, { scheduled_at: scheduledAt });
  }

  /** Approves a request, to start at `scheduledAt`; says whether it did. */
  approve(id: number, scheduledAt: string): Promise<boolean> {
    return this.transition('approve', id, { scheduled_at: scheduledAt });
  }

  /** Declines a request, the approver's comment kept as its reason; says whether it did. */
  decline(id: number, comment: string): Promise<boolean> {
    return this.transition('decline', id, { state_reason: comment, finished_at: nowIso() });
  }

  /** Withdraws the bulletin's requests still awaiting approval, saying why; returns their ids. */
  async withdrawRequests(bulletinId: number, reason: string): Promise<number[]> {
    const { from, to } = CAMPAIGN_TRANSITIONS.withdraw;
    const now = nowIso();
    const rows = await this.db
      .updateTable('campaigns')
      .set({ state: to, state_reason: reason, finished_at: now, updated_at: now })
      .where('bulletin_id', '=', bulletinId)
      .where('state', 'in', from)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
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

  /** Whether the campaign is the welcome mail's, and the welcome mail is on. */
  async isLiveWelcome(id: number): Promise<boolean> {
    const row = await this.db.selectFrom('welcome_mail').select('id').where('campaign_id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Campaigns a worker has work for: scheduled, preparing or sending (a paused one waits for staff),
   * oldest first. A welcome mail's campaign sending with no row queued or sending has none: it waits
   * for the next person to confirm, without a job.
   */
  async unfinished(): Promise<Pick<Campaign, 'id' | 'state' | 'run' | 'scheduledAt'>[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .select(['id', 'state', 'run', 'scheduled_at'])
      .where('state', 'in', ['scheduled', 'preparing', 'sending'])
      .where((eb) =>
        eb.or([
          eb('kind', '=', 'bulletin'),
          eb('state', '<>', 'sending'),
          eb.exists(
            eb
              .selectFrom('deliveries')
              .select('deliveries.id')
              .whereRef('deliveries.campaign_id', '=', 'campaigns.id')
              .where('deliveries.status', 'in', OPEN_DELIVERY_STATUSES),
          ),
        ]),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, state: r.state, run: r.run, scheduledAt: r.scheduled_at }));
  }

  /**
   * Does `operation` if the campaign is in one of the states the table allows it from (and in run
   * `run`, when given); says whether it did.
   */
  private async transition(
    operation: CampaignOperation,
    id: number,
    changes: StateChanges = {},
    run?: number,
  ): Promise<boolean> {
    const { from, to } = CAMPAIGN_TRANSITIONS[operation];
    const { nextRun, ...columns } = changes;
    const update = (db: Kysely<Tables>) =>
      db
        .updateTable('campaigns')
        .set((eb) => ({
          state: to,
          ...columns,
          ...(nextRun ? { run: eb('run', '+', 1), consecutive_errors: 0 } : {}),
          updated_at: nowIso(),
        }))
        .where('id', '=', id)
        .where('state', 'in', from)
        .$if(run !== undefined, (qb) => qb.where('run', '=', run!));
    const type = ANNOUNCED[operation];
    if (!type) return (await update(this.db).executeTakeFirst()).numUpdatedRows > 0n;
    return this.db.transaction().execute(async (trx) => {
      const row = await update(trx)
        .returning(['id', 'bulletin_id', 'kind', 'state', 'started_at', 'finished_at'])
        .executeTakeFirst();
      if (!row) return false;
      if (row.started_at !== null) {
        const { bulletin_id: bulletinId, started_at: startedAt, finished_at: finishedAt } = row;
        const campaign = { id, bulletinId, kind: row.kind, state: row.state, startedAt, finishedAt };
        await recordEvents(trx, [{ type, data: { campaign } }]);
      }
      return true;
    });
  }
}

/**
 * The columns a Campaign is made of. Not `templates`, the compiled mail (tens of KB a language),
 * which only the worker reads, once a campaign (`templates()`): every batch reads its campaign's
 * state first, and the sends list reads 500 campaigns.
 */
const CAMPAIGN_COLUMNS = [
  'id',
  'bulletin_id',
  'bulletin_version_id',
  'segment_id',
  'rule',
  'topic',
  'state',
  'tracking',
  'archive',
  'priority',
  'kind',
  'scheduled_at',
  'started_at',
  'finished_at',
  'state_reason',
  'run',
  'requested_by_kind',
  'requested_by_id',
  'requested_audience',
  'created_at',
] as const satisfies readonly (keyof CampaignsTable)[];

function toCampaign(row: Pick<Selectable<CampaignsTable>, (typeof CAMPAIGN_COLUMNS)[number]>): Campaign {
  return {
    id: row.id,
    bulletinId: row.bulletin_id,
    bulletinVersionId: row.bulletin_version_id,
    segmentId: row.segment_id,
    rule: parseJson<Rule>(row.rule),
    topic: row.topic,
    state: row.state,
    tracking: row.tracking,
    archive: row.archive === 1,
    priority: row.priority,
    kind: row.kind,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    stateReason: row.state_reason,
    run: row.run,
    requestedBy:
      row.requested_by_kind === null ? null : { kind: row.requested_by_kind, id: Number(row.requested_by_id) },
    requestedAudience: row.requested_audience,
    createdAt: row.created_at,
  };
}
