// The campaign report screen (GET /api/campaigns/:id with its history, then
// GET /api/campaigns/:id/comparison) over a finished send to 100,000 people, beside five earlier
// sends to a tenth of them (the report reads their tallies, whatever their size; a tenth keeps the
// setup at scale 10 to minutes), on each database: the median of seven after a warm-up, in ms, the worse
// database's figure as report_ms. The ledgers are written by INSERT … SELECT, as a send would have
// left them: mostly sent and delivered, some failed, unknown and skipped with their errors, some
// bounces, complaints and unsubscribes, clicks on three links, and each ledger counted into its
// tallies as the snapshot and the migration count it.
import { sql } from 'kysely';
import { COMPARED_CAMPAIGNS } from '../../src/sending/campaign-reports.js';
import { recountTallies } from '../../src/sending/delivery-tallies.js';
import { benchData, type BenchData } from '../support/bench-data.js';
import { median } from '../support/median.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

const RUNS = 7;
/** How long each send took, so the rate the report shows is a realistic one. */
const SEND_SECONDS = 3600;
const DAY_MS = 86_400_000;

export const measure: Measure = async (context) => {
  const sqlite = await reportMs(context, 'sqlite');
  const postgres = await reportMs(context, 'postgres');
  return { report_ms: Math.max(sqlite, postgres) };
};

async function reportMs(context: BenchContext, kind: 'sqlite' | 'postgres'): Promise<number> {
  const people = scaled(context, 100_000, 1000);
  const data = await benchData(kind, 0);
  try {
    const setup = performance.now();
    const ids = await addSends(data, people);
    const id = ids.at(-1)!;
    context.log(
      `report ${kind}: ${ids.length} sends to ${people.toLocaleString('en')} people written in ` +
        `${((performance.now() - setup) / 1000).toFixed(1)} s`,
    );

    const { campaignReports: reports, audit } = data.stores;
    const screen = async () => {
      // As the routes answer the screen: the report with its history, then the comparison.
      const [report] = await Promise.all([reports.report(id), audit.historyOf({ type: 'campaign', id })]);
      const comparison = await reports.comparison(id);
      return { report, comparison };
    };
    let shown = await screen(); // warm-up: the first run reads the tables into the cache
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      shown = await screen();
      times.push(performance.now() - started);
    }
    if (shown.report.counts.total !== people || shown.comparison.previous.length !== COMPARED_CAMPAIGNS)
      throw new Error(`the report counted ${shown.report.counts.total} of ${people} rows: it measured something else`);
    context.log(
      `report ${kind}: ${shown.report.counts.sent} sent, ${shown.report.outcomes.delivered} delivered, ` +
        `runs ${times.map((t) => t.toFixed(0)).join(' ')} ms`,
    );
    return median(times);
  } finally {
    await data.drop();
  }
}

/**
 * `people` subscribers and COMPARED_CAMPAIGNS + 1 finished sends to all of them, a week apart, the
 * latest last; returns the campaigns' ids in that order.
 */
export async function addSends(data: BenchData, people: number): Promise<number[]> {
  const sqlite = data.database.kind === 'sqlite';
  // A bigger page cache while the rows are written (SQLite's default is 2 MB), the default again after.
  if (sqlite) await sql`pragma cache_size = -262144`.execute(data.database.db);
  await addPeople(data, people);
  const ids: number[] = [];
  for (let week = COMPARED_CAMPAIGNS; week >= 0; week--)
    ids.push(await finishedSend(data, week ? Math.round(people / 10) : people, people, week));
  await analyse(data);
  if (sqlite) await sql`pragma cache_size = -2000`.execute(data.database.db);
  return ids;
}

/** `count` active subscribers, every third Spanish, in one statement. */
async function addPeople({ database }: BenchData, count: number): Promise<void> {
  const now = new Date().toISOString();
  await sql`
    insert into subscribers (email, name, language, status, attributes, created_at, updated_at)
    select 'person' || i || '@example.org', 'Person ' || i, case when i % 3 = 0 then 'es' else 'en' end,
      'active', '{}', ${now}, ${now}
    from ${numbers(database.kind, count)}`.execute(database.db);
}

/** A series 1…count as a table `n(i)` on either database. */
function numbers(kind: 'sqlite' | 'postgres', count: number) {
  return kind === 'postgres'
    ? sql`generate_series(1, ${sql.lit(count)}) as n(i)`
    : sql`(with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(count)})
        select i from n) n`;
}

/**
 * A campaign sent to the first `reached` people `weeksAgo` (of `people`), finished, with its
 * ledger, consent outcomes and clicks.
 * Of each thousand rows: 900 delivered, 30 sent without a delivery report (10 bounces, a complaint
 * and 3 unsubscribes among them), 15 failed, 10 unknown, 45 skipped.
 */
async function finishedSend(data: BenchData, reached: number, people: number, weeksAgo: number): Promise<number> {
  const { database, stores } = data;
  const db = database.db;
  const bulletin = await stores.bulletins.get(data.bulletinId);
  const campaign = await stores.campaigns.create({
    bulletinId: bulletin.id,
    bulletinVersionId: bulletin.versionId,
    segmentId: null,
    rule: { all: [] },
    topic: null,
    scheduledAt: new Date().toISOString(),
    tracking: 'aggregate',
    archive: false,
  });
  const startedMs = Date.now() - weeksAgo * 7 * DAY_MS - DAY_MS;
  const startedAt = new Date(startedMs).toISOString();
  const finishedAt = new Date(startedMs + SEND_SECONDS * 1000).toISOString();
  const pg = database.kind === 'postgres';
  // The row's time within the send, as a timestamp of the database's own kind.
  const at = (offsetSeconds: number) =>
    pg
      ? sql`to_timestamp(${sql.lit(startedMs / 1000 + offsetSeconds)} + s.id * ${sql.lit(SEND_SECONDS / people)})`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${sql.lit(startedMs / 1000 + offsetSeconds)} + s.id * ${sql.lit(
          SEND_SECONDS / people,
        )}, 'unixepoch')`;
  const k = sql`(s.id % 1000)`;
  await sql`
    insert into deliveries (campaign_id, subscriber_id, language, status, attempts, message_id, last_error,
      sent_at, delivered_at, updated_at)
    select ${sql.lit(campaign.id)}, s.id, s.language,
      case when ${k} < 930 then 'sent' when ${k} < 945 then 'failed' when ${k} < 955 then 'unknown' else 'skipped' end,
      case when ${k} < 955 then 1 else 0 end,
      case when ${k} < 930 then 'bench-' || ${sql.lit(campaign.id)} || '-' || s.id end,
      case
        when ${k} < 930 then null
        when ${k} < 945 then 'MessageRejected: Email address is not verified'
        when ${k} < 955 then 'The worker stopped while sending; not re-sent automatically'
        else 'subscriber is unsubscribed'
      end,
      case when ${k} < 930 then ${at(0)} end,
      case when ${k} < 900 then ${at(2)} end,
      ${at(5)}
    from subscribers s
    where s.id <= ${sql.lit(reached)}
    order by s.id`.execute(db);
  await recountTallies(db, campaign.id);
  await db
    .updateTable('campaigns')
    .set({ state: 'sent', started_at: startedAt, finished_at: finishedAt })
    .where('id', '=', campaign.id)
    .execute();
  // Bounces, complaints and unsubscribes among those sent without a delivery report.
  await sql`
    insert into consent_events (subscriber_id, event, source, language, campaign_id, created_at)
    select s.id,
      case when ${k} < 910 then 'bounced' when ${k} < 911 then 'complained' else 'unsubscribed' end,
      'ses', null, ${sql.lit(campaign.id)}, ${finishedAt}
    from subscribers s
    where ${k} >= 900 and ${k} < 914 and s.id <= ${sql.lit(reached)}`.execute(db);
  const links = await db
    .insertInto('campaign_links')
    .values(
      ['https://nnirr.org/act', 'https://nnirr.org/donate', 'https://nnirr.org/news'].map((url, i) => ({
        campaign_id: campaign.id,
        block: i,
        url,
        clicks: Math.round(people / (10 * (i + 1))),
      })),
    )
    .returning(['id', 'clicks'])
    .execute();
  await db
    .insertInto('campaign_link_clicks')
    .values(
      links.flatMap((link) => [
        { link_id: link.id, language: 'en', clicks: Math.round((link.clicks * 2) / 3) },
        { link_id: link.id, language: 'es', clicks: link.clicks - Math.round((link.clicks * 2) / 3) },
      ]),
    )
    .execute();
  return campaign.id;
}

/** The planner's statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) keep them. */
async function analyse({ database }: BenchData): Promise<void> {
  await sql`analyze`.execute(database.db);
}
