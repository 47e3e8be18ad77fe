// The library: blocks and whole bulletins saved by name, to be copied into bulletins. One table for
// both, told apart by `kind`; who saved each is kept by name, so it stays readable when the staff
// member or the API token is gone.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function blockLibrary(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('library_items')
        .addColumn('id', 'integer', id)
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('block', 'template')`))
        .addColumn('name', 'text', (c) => c.notNull())
        // A block (document.ts's Block) or a bulletin document (BulletinDocument), as JSON.
        .addColumn('content', json, (c) => c.notNull())
        .addColumn('created_by_kind', 'text', (c) => c.notNull().check(sql`created_by_kind in ('staff', 'token')`))
        // The staff member's email or the API token's name, as they were then.
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('updated_at', timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('library_items_kind_name').on('library_items').columns(['kind', 'name']).execute();
    },
  };
}
