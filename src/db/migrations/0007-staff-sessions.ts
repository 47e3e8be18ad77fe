// Staff sign-in from a browser: sessions known only by a hash of their token, the time of each
// person's last sign-in, and the addresses each person sends test copies to.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function staffSessions(kind: DatabaseKind): Migration {
  const { timestamp, json } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('staff_sessions')
        // SHA-256 (hex) of the cookie's token: a copy of the database opens no session.
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', timestamp, (c) => c.notNull())
        .addColumn('expires_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();
      await db.schema
        .alterTable('staff_users')
        .addColumn('test_addresses', json, (c) => c.notNull().defaultTo(sql`'[]'`))
        .execute();
      await db.schema.alterTable('staff_users').addColumn('last_sign_in_at', timestamp).execute();
    },
  };
}
