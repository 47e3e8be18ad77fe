// Outgoing webhooks (docs/integrations.md): the endpoints admins add, the outbox of events written
// in the same transaction as what they describe, and one delivery row per event and endpoint,
// which is the delivery log. An event names its subscriber (no foreign key: an erased subscriber's
// `subscriber.erased` outlives their row) so erasing can delete what was said about them before.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function webhooks(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'integer', id)
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        // The event types it receives, a JSON array.
        .addColumn('events', json, (c) => c.notNull())
        // `whsec_<base64>`: the receiver needs it to verify, so it is kept as it was shown.
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('disabled_reason', 'text')
        // When its deliveries started failing without a success since; null while it answers.
        .addColumn('failing_since', timestamp)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'integer', id)
        .addColumn('type', 'text', (c) => c.notNull())
        // Text, not JSON: the bytes signed and sent are the bytes written, on either database.
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('subscriber_id', 'integer')
        // When the event was handed to the endpoints that take its type; null until then.
        .addColumn('dispatched_at', timestamp)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_events_undispatched')
        .on('webhook_events')
        .column('id')
        .where(sql.ref('dispatched_at'), 'is', null)
        .execute();
      await db.schema.createIndex('webhook_events_subscriber').on('webhook_events').column('subscriber_id').execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'integer', id)
        .addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
        .addColumn('event_id', 'integer', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'delivered', 'failed', 'skipped')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('response_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', timestamp)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_once', ['endpoint_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_log')
        .on('webhook_deliveries')
        .columns(['endpoint_id', 'id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
    },
  };
}
