// The campaign report without reading the ledger: its rows counted by campaign, status and
// language (DeliveryTallies, kept in the transaction of every ledger change), an index of the rows
// with an error (the report's last ten), and the consent log's campaign index made covering (the
// outcomes count people, each once, without visiting the log's rows).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function deliveryTallies(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('delivery_tallies')
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('deliveries', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('first_sent_at', timestamp)
        .addColumn('last_sent_at', timestamp)
        .addPrimaryKeyConstraint('delivery_tallies_pk', ['campaign_id', 'status', 'language'])
        .execute();
      await sql`
        insert into delivery_tallies
          (campaign_id, status, language, deliveries, sent, delivered, first_sent_at, last_sent_at)
        select campaign_id, status, language, count(*), count(sent_at), count(delivered_at), min(sent_at), max(sent_at)
        from deliveries
        group by campaign_id, status, language`.execute(db);
      await db.schema
        .createIndex('deliveries_errors')
        .on('deliveries')
        .columns(['campaign_id', 'updated_at', 'id'])
        .where(sql.ref('last_error'), 'is not', null)
        .execute();
      await db.schema.dropIndex('consent_events_campaign').execute();
      await db.schema
        .createIndex('consent_events_campaign')
        .on('consent_events')
        .columns(['campaign_id', 'event', 'subscriber_id'])
        .execute();
    },
  };
}
