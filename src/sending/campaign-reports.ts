// What staff read about sends: one campaign's report (its ledger counted, its errors, rate,
// clicks and outcomes, in all and by language) and a campaign beside the sends before it. Reads only,
// and never the ledger's rows by the thousand: its counts come from the tallies (delivery-tallies.ts),
// its errors from an index of the rows with one, its outcomes from the consent log's covering index.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Tables } from '../db/schema.js';
import type { CampaignStore } from './campaign-store.js';
import { emptyCounts } from './delivery-ledger.js';
import type { CampaignReport, CampaignSummary, Comparison, LanguageResults, Outcomes } from './schemas.js';

/** How many earlier sends a campaign's report is compared with. */
export const COMPARED_CAMPAIGNS = 5;

export class CampaignReports {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly campaigns: CampaignStore,
  ) {}

  /** The report without its history, which the routes add from the audit trail. */
  async report(id: number): Promise<Omit<CampaignReport, 'history'>> {
    const campaign = await this.campaigns.get(id);
    const [tallies, errors, links, outcomes, languageOutcomes, languageClicks] = await Promise.all([
      this.db
        .selectFrom('delivery_tallies')
        .select(['status', 'language', 'deliveries', 'sent', 'delivered', 'first_sent_at', 'last_sent_at'])
        .where('campaign_id', '=', id)
        .execute(),
      // The last rows with an error, read backwards from the deliveries_errors index.
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
        .selectFrom('campaign_links')
        .select(['id', 'block', 'url', 'clicks'])
        .where('campaign_id', '=', id)
        .orderBy('block')
        .orderBy('id')
        .execute(),
      this.consentOutcomes([id]),
      this.consentOutcomesByLanguage(id),
      this.db
        .selectFrom('campaign_link_clicks')
        .innerJoin('campaign_links', 'campaign_links.id', 'campaign_link_clicks.link_id')
        .select(['campaign_link_clicks.link_id', 'campaign_link_clicks.language', 'campaign_link_clicks.clicks'])
        .where('campaign_links.campaign_id', '=', id)
        .execute(),
    ]);
    const counts = emptyCounts();
    const byLanguage: CampaignReport['byLanguage'] = {};
    const perLanguage = new Map<string, { rows: number; sent: number; delivered: number }>();
    let first: string | null = null;
    let last: string | null = null;
    for (const tally of tallies) {
      const { status, language } = tally;
      const n = Number(tally.deliveries);
      // A status whose rows all moved on keeps its tally at 0: not a count the report shows.
      if (n !== 0) {
        counts[status] += n;
        counts.total += n;
        const lang = byLanguage[language] ?? {};
        lang[status] = (lang[status] ?? 0) + n;
        byLanguage[language] = lang;
      }
      const results = perLanguage.get(language) ?? { rows: 0, sent: 0, delivered: 0 };
      perLanguage.set(language, results);
      results.rows += n;
      results.sent += Number(tally.sent);
      results.delivered += Number(tally.delivered);
      if (tally.first_sent_at && (first === null || Date.parse(tally.first_sent_at) < Date.parse(first)))
        first = tally.first_sent_at;
      if (tally.last_sent_at && (last === null || Date.parse(tally.last_sent_at) > Date.parse(last)))
        last = tally.last_sent_at;
    }
    const languages = new Map([...perLanguage].filter(([, l]) => l.rows !== 0));
    const sent = [...languages.values()].reduce((sum, l) => sum + l.sent, 0);
    const seconds = first && last ? (Date.parse(String(last)) - Date.parse(String(first))) / 1000 : 0;
    return {
      ...campaign,
      counts,
      byLanguage,
      rate: sent > 1 && seconds > 0 ? Math.round((sent / seconds) * 10) / 10 : null,
      lastErrors: errors.map((e) => ({ deliveryId: e.id, status: e.status, error: e.last_error!, at: e.updated_at })),
      links: links.map(({ id: linkId, ...link }) => ({
        ...link,
        byLanguage: Object.fromEntries(
          languageClicks.filter((c) => c.link_id === linkId).map((c) => [c.language, Number(c.clicks)]),
        ),
      })),
      outcomes: {
        delivered: [...languages.values()].reduce((sum, l) => sum + l.delivered, 0),
        ...(outcomes.get(id) ?? NO_OUTCOMES),
      },
      outcomesByLanguage: Object.fromEntries(
        [...languages].map(([language, { sent, delivered }]): [string, LanguageResults] => [
          language,
          {
            sent,
            delivered,
            ...(languageOutcomes.get(language) ?? NO_OUTCOMES),
            clicks:
              campaign.tracking === 'off'
                ? null
                : languageClicks.filter((c) => c.language === language).reduce((sum, c) => sum + Number(c.clicks), 0),
          },
        ]),
      ),
    };
  }

  /**
   * The campaign and the COMPARED_CAMPAIGNS sends that started before it (newest first), each
   * summarised. Three grouped queries for all of them, one per table, however many they are.
   */
  async comparison(id: number): Promise<Comparison> {
    const campaign = await this.campaigns.get(id);
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
            eb('campaigns.kind', '=', 'bulletin'),
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
        .selectFrom('delivery_tallies')
        .select((eb) => ['campaign_id', eb.fn.sum('sent').as('sent'), eb.fn.sum('delivered').as('delivered')])
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
        ...(outcomes.get(row.id) ?? NO_OUTCOMES),
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

  /** People who bounced, complained or unsubscribed because of each campaign, each counted once. */
  private async consentOutcomes(ids: readonly number[]): Promise<Map<number, ConsentOutcomes>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('consent_events')
      .select((eb) => ['consent_events.campaign_id', ...outcomeCounts(eb)])
      .where('consent_events.campaign_id', 'in', ids)
      .where('consent_events.event', 'in', CONSENT_OUTCOMES)
      .groupBy('consent_events.campaign_id')
      .execute();
    return new Map(rows.map((r) => [r.campaign_id!, counted(r)]));
  }

  /**
   * The same for one campaign by the language of the mail each person got: their delivery row's
   * (one per person and campaign), whatever language the page they unsubscribed on was in.
   */
  private async consentOutcomesByLanguage(id: number): Promise<Map<string, ConsentOutcomes>> {
    const rows = await this.db
      .selectFrom('consent_events')
      .innerJoin('deliveries', (join) =>
        join
          .onRef('deliveries.campaign_id', '=', 'consent_events.campaign_id')
          .onRef('deliveries.subscriber_id', '=', 'consent_events.subscriber_id'),
      )
      .select((eb) => ['deliveries.language', ...outcomeCounts(eb)])
      .where('consent_events.campaign_id', '=', id)
      .where('consent_events.event', 'in', CONSENT_OUTCOMES)
      .groupBy('deliveries.language')
      .execute();
    return new Map(rows.map((r) => [r.language, counted(r)]));
  }
}

type ConsentOutcomes = Omit<Outcomes, 'delivered'>;

const CONSENT_OUTCOMES = ['bounced', 'complained', 'unsubscribed'];
const NO_OUTCOMES: ConsentOutcomes = { bounced: 0, complained: 0, unsubscribed: 0 };

/** The people with the event among the rows, each counted once. */
/** Bounced, complained and unsubscribed, each person once. */
function outcomeCounts(eb: ExpressionBuilder<Tables, 'consent_events'>) {
  return [
    once(eb, 'bounced').as('bounced'),
    once(eb, 'complained').as('complained'),
    once(eb, 'unsubscribed').as('unsubscribed'),
  ] as const;
}

function once(eb: ExpressionBuilder<Tables, 'consent_events'>, event: string) {
  return eb.fn
    .count(eb.case().when('consent_events.event', '=', event).then(eb.ref('consent_events.subscriber_id')).end())
    .distinct();
}

function counted(row: { bounced: unknown; complained: unknown; unsubscribed: unknown }): ConsentOutcomes {
  return { bounced: Number(row.bounced), complained: Number(row.complained), unsubscribed: Number(row.unsubscribed) };
}
