// Subscribers, topics, subscriptions, consent log, staff, API tokens and suppressions.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function foundation(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('subscribers')
        .addColumn('id', 'integer', id)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'active', 'unsubscribed', 'bounced', 'complained')`),
        )
        .addColumn('attributes', json, (c) => c.notNull().defaultTo(sql`'{}'`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subscribers_status').on('subscribers').column('status').execute();

      await db.schema
        .createTable('subscriber_tags')
        .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('subscriber_tags_pk', ['subscriber_id', 'tag'])
        .execute();
      // Segment rules ask "who has tag X": the tag-first index answers that.
      await db.schema
        .createIndex('subscriber_tags_tag')
        .on('subscriber_tags')
        .columns(['tag', 'subscriber_id'])
        .execute();

      await db.schema
        .createTable('topics')
        .addColumn('id', 'integer', id)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo(sql`'{}'`))
        .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('subscriptions')
        .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
        .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('subscriptions_pk', ['subscriber_id', 'topic_id'])
        .execute();
      await db.schema
        .createIndex('subscriptions_topic')
        .on('subscriptions')
        .columns(['topic_id', 'subscriber_id'])
        .execute();

      await db.schema
        .createTable('consent_events')
        .addColumn('id', 'integer', id)
        .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('consent_events_subscriber').on('consent_events').column('subscriber_id').execute();

      await db.schema
        .createTable('staff_users')
        .addColumn('id', 'integer', id)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor')`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'integer', id)
        .addColumn('lookup', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'editor')`))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('last_used_at', timestamp)
        .execute();

      await db.schema
        .createTable('suppressions')
        .addColumn('email_hash', 'text', (c) => c.primaryKey())
        .addColumn('reason', 'text', (c) =>
          c.notNull().check(sql`reason in ('erased', 'bounced', 'complained', 'manual')`),
        )
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
