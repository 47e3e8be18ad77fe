// Audiences: each subscriber's keyed email hash (to meet the suppression list in SQL), a pause
// date, saved segments, and on PostgreSQL the function rules use to read attributes as numbers
// (SQLite gets the same function from the driver, see database.ts).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function audience(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      // Filled by the subscriber store on every write, and for older rows at start (backfill).
      await db.schema.alterTable('subscribers').addColumn('email_hash', 'text').execute();
      await db.schema.alterTable('subscribers').addColumn('paused_until', timestamp).execute();
      await db.schema.createIndex('subscribers_email_hash').on('subscribers').column('email_hash').execute();
      await db.schema.createIndex('subscribers_language').on('subscribers').column('language').execute();
      await db.schema.createIndex('subscribers_created_at').on('subscribers').column('created_at').execute();

      await db.schema
        .createTable('segments')
        .addColumn('id', 'integer', id)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('rule', json, (c) => c.notNull())
        .addColumn('rule_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();

      if (kind === 'postgres') {
        // Mirrors attributeNumber() in src/db/sql-functions.ts: a JSON number, or a text that reads as one.
        const asText = sql.raw("(value #>> '{}')");
        await sql`
          create function pregon_number(value jsonb) returns double precision
          language sql immutable as $$
            select case jsonb_typeof(value)
              when 'number' then ${asText}::double precision
              when 'string' then case when ${asText} ~ '^-?[0-9]+(\\.[0-9]+)?$' then ${asText}::double precision end
            end
          $$`.execute(db);
      }
    },
  };
}
