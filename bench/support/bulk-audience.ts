// Many subscribers quickly, for the benches that read a large list rather than measure how it is
// written: one INSERT … SELECT of generated rows a step in the database itself (a million in
// about a minute), where mergeBatch would take several. The rows are those of addVariedAudience,
// less what reading them does not need: person<i>@example.org (every fifth @nnirr.org), every
// third in Spanish, all of the weekly bulletin, every fiftieth tagged 'press', every 31st
// unsubscribed. Ids follow i (the table starts empty).
import { sql } from 'kysely';
import { BENCH_TOPIC, type BenchData } from './bench-data.js';

const STEP = 100_000;

export const bulkEmailOf = (i: number) => `person${i}@${i % 5 === 0 ? 'nnirr.org' : 'example.org'}`;

export async function addBulkAudience(data: BenchData, count: number, log?: (line: string) => void): Promise<void> {
  const { db, kind } = data.database;
  const topicId = (await data.stores.subscribers.topicIds()).get(BENCH_TOPIC)!;
  const now = new Date().toISOString();
  for (let from = 0; from < count; from += STEP) {
    const to = Math.min(count, from + STEP) - 1;
    // The same expressions on both databases; only where the numbers come from differs.
    const numbers =
      kind === 'postgres'
        ? sql`generate_series(${from}::int, ${to}::int) as n(i)`
        : // better-sqlite3 binds a JavaScript number as a real: person1.0@…
          sql`(with recursive n(i) as (select cast(${from} as integer) union all select i + 1 from n where i < ${to})
            select i from n) as n`;
    await db.transaction().execute(async (trx) => {
      await sql`insert into subscribers (email, name, language, status, attributes, created_at, updated_at)
        select 'person' || i || case when i % 5 = 0 then '@nnirr.org' else '@example.org' end,
          'Person ' || i,
          case when i % 3 = 0 then 'es' else 'en' end,
          case when i % 31 = 0 then 'unsubscribed' else 'active' end,
          '{"state":"TX"}', ${now}, ${now}
        from ${numbers} order by i`.execute(trx);
      const ids = sql`(select id from subscribers where email = ${bulkEmailOf(from)})`;
      await sql`insert into subscriptions (subscriber_id, topic_id, created_at)
        select id, ${topicId}, ${now} from subscribers where id >= ${ids}`.execute(trx);
      await sql`insert into subscriber_tags (subscriber_id, tag)
        select id, 'press' from subscribers where id >= ${ids} and (id - ${ids}) % 50 = 0`.execute(trx);
    });
    log?.(`  ${(to + 1).toLocaleString('en')} subscribers`);
  }
  if (kind === 'postgres') await sql`analyze subscribers`.execute(db);
}
