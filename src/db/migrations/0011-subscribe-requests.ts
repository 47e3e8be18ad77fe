// What someone who had unsubscribed asks for on the public form (name, language, topics), kept
// apart from their record until they confirm it from the mail: an anonymous form changes nothing
// about an existing person.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function subscribeRequests(kind: DatabaseKind): Migration {
  const { id, timestamp, json } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('subscribe_requests')
        .addColumn('id', 'integer', id)
        .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('topics', json, (c) => c.notNull())
        .addColumn('page_language', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('subscribe_requests_subscriber')
        .on('subscribe_requests')
        .column('subscriber_id')
        .execute();
    },
  };
}
