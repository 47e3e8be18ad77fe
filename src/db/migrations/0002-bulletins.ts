// Organisation settings, bulletins and their versions (every save keeps one; a send pins one).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function bulletins(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('settings')
        // One row: the organisation's settings as one JSON document, merged over the defaults.
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('data', json, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('bulletins')
        .addColumn('id', 'integer', id)
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('bulletin_versions')
        .addColumn('id', 'integer', id)
        .addColumn('bulletin_id', 'integer', (c) => c.notNull().references('bulletins.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('document', json, (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addUniqueConstraint('bulletin_versions_bulletin_version', ['bulletin_id', 'version'])
        .execute();
    },
  };
}
