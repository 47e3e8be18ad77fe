// Writes a bench's subscribers quickly: ten thousand to a statement, as one JSON parameter that
// the database unpacks itself, with their topics and tags joined on by address. The rows are
// those an import makes (hashed address, attributes as JSON, active) without the consent log and
// the suppression look-ups, which no audience measure reads. A million take seconds, not minutes.
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { nowIso } from '../../src/db/schema.js';

export interface BulkSubscriber {
  email: string;
  name: string;
  language: string;
  attributes: Record<string, string>;
  topicIds: number[];
  tags: string[];
}

const PART = 10_000;

/** Adds the subscribers made by `make(i)` for i from 0 to `count - 1`, in that order
 * (a set-returning function yields the array's rows in order, and ids follow it). */
export async function insertSubscribers(
  database: Database,
  hash: (email: string) => string,
  count: number,
  make: (i: number) => BulkSubscriber,
): Promise<void> {
  for (let start = 0; start < count; start += PART) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + PART); i++) {
      const row = make(i);
      rows.push({ ...row, email_hash: hash(row.email) });
    }
    await insertPart(database, JSON.stringify(rows), nowIso());
  }
}

async function insertPart({ db, kind }: Database, json: string, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (kind === 'postgres') {
      const rows = sql`jsonb_to_recordset(${json}::jsonb) as x(email text, name text, language text,
        attributes jsonb, email_hash text, "topicIds" jsonb, tags jsonb)`;
      await sql`insert into subscribers (email, name, language, status, attributes, email_hash, created_at, updated_at)
        select x.email, x.name, x.language, 'active', x.attributes, x.email_hash, ${now}, ${now}
        from ${rows}`.execute(trx);
      await sql`insert into subscriptions (subscriber_id, topic_id, created_at)
        select s.id, t.value::integer, ${now} from ${rows} join subscribers s on s.email = x.email
        cross join jsonb_array_elements_text(x."topicIds") t`.execute(trx);
      await sql`insert into subscriber_tags (subscriber_id, tag)
        select s.id, t.value from ${rows} join subscribers s on s.email = x.email
        cross join jsonb_array_elements_text(x.tags) t`.execute(trx);
      return;
    }
    const field = (name: string) => sql.raw(`json_extract(x.value, '$.${name}')`);
    await sql`insert into subscribers (email, name, language, status, attributes, email_hash, created_at, updated_at)
      select ${field('email')}, ${field('name')}, ${field('language')}, 'active', ${field('attributes')},
        ${field('email_hash')}, ${now}, ${now}
      from json_each(${json}) x`.execute(trx);
    await sql`insert into subscriptions (subscriber_id, topic_id, created_at)
      select s.id, t.value, ${now} from json_each(${json}) x cross join subscribers s on s.email = ${field('email')}
      join json_each(${field('topicIds')}) t`.execute(trx);
    await sql`insert into subscriber_tags (subscriber_id, tag)
      select s.id, t.value from json_each(${json}) x cross join subscribers s on s.email = ${field('email')}
      join json_each(${field('tags')}) t`.execute(trx);
  });
}

/**
 * On PostgreSQL, what autovacuum does for a list that has been in use a while: hint bits set, the
 * visibility map (index-only scans) and the planner's statistics. Without it a bench at a million
 * measures the first reads after a bulk load, writing pages back as it reads them.
 */
export async function settleSubscribers({ db, kind }: Database): Promise<void> {
  if (kind === 'postgres')
    await sql`vacuum analyze subscribers, subscriptions, subscriber_tags, suppressions`.execute(db);
}
