// The welcome mail (docs/integrations.md): a campaign of its own kind that stays open while the
// welcome mail is on, taking one ledger row per person who confirms. `welcome_mail` is its one row
// of state (the bulletin marked, the campaign that is live, none while off); `welcome_recipients`
// holds each person who was given a welcome mail, once ever, whatever version or campaign it was.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function welcomeMail(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('campaigns')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('bulletin').check(sql`kind in ('bulletin', 'welcome')`))
        .execute();
      await db.schema
        .createTable('welcome_mail')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('bulletin_id', 'integer', (c) => c.references('bulletins.id').onDelete('set null'))
        .addColumn('campaign_id', 'integer', (c) => c.references('campaigns.id'))
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('welcome_recipients')
        .addColumn('subscriber_id', 'integer', (c) => c.primaryKey().references('subscribers.id').onDelete('cascade'))
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
