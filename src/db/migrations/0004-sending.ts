// Sending: campaigns (a bulletin version, an audience rule, a schedule, the compiled templates)
// and the delivery ledger, one row per (campaign, subscriber).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function sending(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'integer', id)
        .addColumn('bulletin_id', 'integer', (c) => c.notNull().references('bulletins.id'))
        .addColumn('bulletin_version_id', 'integer', (c) => c.notNull().references('bulletin_versions.id'))
        // The rule is copied in: editing or deleting the segment later does not change a send.
        .addColumn('segment_id', 'integer', (c) => c.references('segments.id').onDelete('set null'))
        .addColumn('rule', json, (c) => c.notNull())
        .addColumn('topic', 'text')
        .addColumn('state', 'text', (c) =>
          c
            .notNull()
            .check(sql`state in ('scheduled', 'preparing', 'sending', 'paused', 'sent', 'cancelled', 'failed')`),
        )
        .addColumn('tracking', 'text', (c) => c.notNull().check(sql`tracking in ('aggregate', 'off')`))
        .addColumn('scheduled_at', timestamp, (c) => c.notNull())
        .addColumn('started_at', timestamp)
        .addColumn('finished_at', timestamp)
        .addColumn('state_reason', 'text')
        .addColumn('consecutive_errors', 'integer', (c) => c.notNull().defaultTo(0))
        // Bumped by every resume, so the batches of a new run get new job ids.
        .addColumn('run', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('templates', json)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaigns_state').on('campaigns').column('state').execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'integer', id)
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        // Kept (as NULL) when the subscriber is erased, so the campaign's counts stay true.
        .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('set null'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed', 'skipped', 'unknown', 'cancelled')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('message_id', 'text')
        .addColumn('last_error', 'text')
        // Which job attempt holds the row while it is 'sending'.
        .addColumn('claim', 'text')
        .addColumn('sent_at', timestamp)
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('deliveries_campaign_subscriber', ['campaign_id', 'subscriber_id'])
        .execute();
      await db.schema
        .createIndex('deliveries_campaign_status')
        .on('deliveries')
        .columns(['campaign_id', 'status'])
        .execute();
    },
  };
}
