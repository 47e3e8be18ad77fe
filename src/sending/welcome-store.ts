// The welcome mail's state and its ledger rows: the bulletin marked as the welcome mail, its live
// campaign (none while the welcome mail is off), and the row each person who confirms gets in that
// campaign, once ever: `welcome_recipients` has one row per person, whatever version they got.
import type { Kysely, Transaction } from 'kysely';
import type { BulletinDocument } from '../bulletins/document.js';
import { nowIso, parseJson, type CampaignPriority, type Tables } from '../db/schema.js';
import { addTallies } from './delivery-tallies.js';
import type { WelcomeMailStatus } from './schemas.js';

/** A welcome mail's ledger row just written, to be queued once its transaction is committed. */
export interface WelcomeDelivery {
  campaignId: number;
  /** The campaign's run then: the batch job's id names it. */
  run: number;
  priority: CampaignPriority;
  deliveryId: number;
}

export interface WelcomeState {
  /** The bulletin marked as the welcome mail, kept while it is off; null before any was. */
  bulletinId: number | null;
  /** The live welcome campaign; null while the welcome mail is off. */
  campaignId: number | null;
}

/** The states in which the welcome campaign takes new rows: a paused one keeps them until resumed. */
const TAKING_ROWS = ['scheduled', 'preparing', 'sending', 'paused'] as const;

export class WelcomeStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async state(): Promise<WelcomeState> {
    const row = await this.db
      .selectFrom('welcome_mail')
      .select(['bulletin_id', 'campaign_id'])
      .where('id', '=', 1)
      .executeTakeFirst();
    return { bulletinId: row?.bulletin_id ?? null, campaignId: row?.campaign_id ?? null };
  }

  async setState(state: WelcomeState): Promise<void> {
    const values = { bulletin_id: state.bulletinId, campaign_id: state.campaignId, updated_at: nowIso() };
    await this.db
      .insertInto('welcome_mail')
      .values({ id: 1, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** The welcome mail's campaigns, newest first: the live one and those of earlier versions. */
  async campaigns(): Promise<WelcomeMailStatus['campaigns']> {
    const rows = await this.db
      .selectFrom('campaigns')
      .select(['id', 'state', 'created_at'])
      .where('kind', '=', 'welcome')
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return rows.map((r) => ({ id: r.id, state: r.state, createdAt: r.created_at }));
  }

  /**
   * Writes the welcome mail's ledger row for someone who has just confirmed, in the confirmation's
   * own transaction, so that a crash cannot keep one without the other. Nothing while the welcome
   * mail is off, nor for anyone who was given one before (the primary key of `welcome_recipients`
   * says so even for two confirmations at once). The row's language is the person's when the
   * bulletin has it, else the bulletin's first, as a send's snapshot chooses.
   */
  async enlist(trx: Transaction<Tables>, subscriberId: number): Promise<WelcomeDelivery | undefined> {
    const live = await trx
      .selectFrom('welcome_mail')
      .innerJoin('campaigns', 'campaigns.id', 'welcome_mail.campaign_id')
      .innerJoin('bulletin_versions', 'bulletin_versions.id', 'campaigns.bulletin_version_id')
      .select(['campaigns.id', 'campaigns.run', 'campaigns.priority', 'bulletin_versions.document'])
      .where('welcome_mail.id', '=', 1)
      .where('campaigns.state', 'in', TAKING_ROWS)
      .executeTakeFirst();
    if (!live) return undefined;
    const now = nowIso();
    const first = await trx
      .insertInto('welcome_recipients')
      .values({ subscriber_id: subscriberId, campaign_id: live.id, created_at: now })
      .onConflict((oc) => oc.column('subscriber_id').doNothing())
      .returning('subscriber_id')
      .executeTakeFirst();
    if (!first) return undefined;
    const person = await trx
      .selectFrom('subscribers')
      .select('language')
      .where('id', '=', subscriberId)
      .executeTakeFirstOrThrow();
    const { languages } = parseJson<BulletinDocument>(live.document);
    const row = await trx
      .insertInto('deliveries')
      .values({
        campaign_id: live.id,
        subscriber_id: subscriberId,
        language: languages.includes(person.language) ? person.language : languages[0]!,
        status: 'queued',
        updated_at: now,
      })
      .returning(['id', 'language'])
      .executeTakeFirstOrThrow();
    await addTallies(trx, live.id, [{ status: 'queued', language: row.language, deliveries: 1 }]);
    return { campaignId: live.id, run: live.run, priority: live.priority, deliveryId: row.id };
  }
}
