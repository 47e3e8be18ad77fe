// subscriber_page_ms: the subscribers list staff page through (GET /api/subscribers runs
// SubscriberStore.list) over 100,000 subscribers: the median of seven reads of each of five pages
// (the first; a deep one, 90% in, and the one before it, reached by cursor; the first of a rare
// and a deep one of a common address fragment), on each database; the figure is the slowest page
// of the slower database. export_rows_per_s, export_rss_mb: the whole CSV export of the SQLite list
// through the export route's code, in a child process whose RSS growth it is.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeCursor } from '../../src/audience/page-cursor.js';
import { SubscriberFilter } from '../../src/audience/schemas.js';
import { BENCH_TOPIC, benchData, benchEnv, inheritedEnv, type BenchData } from '../support/bench-data.js';
import { insertSubscribers, settleSubscribers } from '../support/bulk-subscribers.js';
import { median } from '../support/median.js';
import { scaled, type BenchContext, type Figures, type Measure } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 7;

export const measure: Measure = async (context) => {
  const count = scaled(context, 100_000, 1000);
  const figures: Figures = {};
  const sqlite = await onDatabase(context, 'sqlite', count, async (data) =>
    Object.assign(figures, await exportFigures(context, data)),
  );
  const postgres = await onDatabase(context, 'postgres', count);
  return { subscriber_page_ms: Math.max(sqlite, postgres), ...figures };
};

/** The slowest page's median on one database; `also` runs on its data before it is dropped. */
async function onDatabase(
  context: BenchContext,
  kind: 'sqlite' | 'postgres',
  count: number,
  also?: (data: BenchData) => Promise<unknown>,
): Promise<number> {
  const data = await benchData(kind, 0);
  try {
    const started = performance.now();
    await addList(data, count);
    const seconds = (performance.now() - started) / 1000;
    context.log(`subscribers ${kind}: ${count.toLocaleString('en')} written in ${seconds.toFixed(1)} s`);
    const { db } = data.database;
    const idAt = async (share: number) =>
      (
        await db
          .selectFrom('subscribers')
          .select('id')
          .orderBy('id')
          .offset(Math.floor(count * share))
          .limit(1)
          .executeTakeFirstOrThrow()
      ).id;
    const deep = await idAt(0.9);
    const rare = `son${Math.floor(count * 0.7311)}@`;
    const pages: [string, Record<string, string>][] = [
      ['first', {}],
      ['deep', { cursor: encodeCursor({ after: deep }) }],
      ['deep, before', { cursor: encodeCursor({ before: deep }) }],
      [`contains "${rare}"`, { email: rare }],
      ['contains "nnirr", deep', { email: 'nnirr', cursor: encodeCursor({ after: deep }) }],
    ];
    const medians: number[] = [];
    for (const [name, query] of pages) {
      const filter = SubscriberFilter.parse({ perPage: '50', ...query });
      let page = await data.stores.subscribers.list(filter); // warm-up: the first read fills the cache
      const times: number[] = [];
      // This process's CPU: on SQLite the whole page's work, whatever else the machine runs.
      const cpu = process.cpuUsage();
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        page = await data.stores.subscribers.list(filter);
        times.push(performance.now() - started);
      }
      const { user, system } = process.cpuUsage(cpu);
      if (page.data.length === 0) throw new Error(`the ${name} page is empty: it measured nothing`);
      medians.push(median(times));
      context.log(
        `subscribers ${kind}: ${name} page (${page.data.length} rows, total ${page.total}` +
          `${page.totalCapped ? '+' : ''}): runs ${times.map((t) => t.toFixed(1)).join(' ')} ms, ` +
          `${((user + system) / 1000 / RUNS).toFixed(1)} ms CPU each in this process`,
      );
    }
    await also?.(data);
    return Math.max(...medians);
  } finally {
    await data.drop();
  }
}

async function exportFigures(context: BenchContext, data: BenchData): Promise<Figures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/support/export-process.ts'],
    { cwd: ROOT, env: { ...inheritedEnv(), ...benchEnv(data.scratch) }, maxBuffer: 1 << 20, timeout: 30 * 60_000 },
  );
  const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    rows: number;
    bytes: number;
    seconds: number;
    cpuSeconds: number;
    beforeKb: number;
    peakKb: number;
  };
  context.log(
    `export sqlite: ${run.rows.toLocaleString('en')} rows, ${(run.bytes / 2 ** 20).toFixed(1)} MB of CSV in ` +
      `${run.seconds.toFixed(1)} s (${run.cpuSeconds.toFixed(1)} s CPU), RSS ${Math.round(run.beforeKb / 1024)} MB ` +
      `before, peak ${Math.round(run.peakKb / 1024)} MB`,
  );
  if (run.rows === 0) throw new Error('the export wrote no rows: it measured nothing');
  return { export_rows_per_s: run.rows / run.seconds, export_rss_mb: (run.peakKb - run.beforeKb) / 1024 };
}

/** person<i>@example.org (every fifth @nnirr.org), every third in Spanish, every fiftieth tagged 'press'. */
async function addList(data: BenchData, count: number): Promise<void> {
  const topicId = (await data.stores.subscribers.topicIds()).get(BENCH_TOPIC)!;
  await insertSubscribers(
    data.database,
    (email) => data.stores.suppressions.hash(email),
    count,
    (i) => ({
      email: `person${i}@${i % 5 === 0 ? 'nnirr.org' : 'example.org'}`,
      name: `Person ${i}`,
      language: i % 3 === 0 ? 'es' : 'en',
      attributes: { state: 'TX' },
      topicIds: [topicId],
      tags: i % 50 === 0 ? ['press'] : [],
    }),
  );
  await settleSubscribers(data.database);
}
