// Supporters and SES events: processed SNS messages (to apply each once), transient bounce
// counts, delivery times on the ledger, and the campaign an unsubscribe came from.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function supporters(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sns_messages')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('received_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('subscribers')
        .addColumn('transient_bounces', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('deliveries').addColumn('delivered_at', timestamp).execute();
      await db.schema.createIndex('deliveries_message_id').on('deliveries').column('message_id').execute();
      await db.schema.alterTable('consent_events').addColumn('campaign_id', 'integer').execute();
    },
  };
}
