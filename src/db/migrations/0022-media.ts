// The media library: images staff uploaded, one row per image. Its files are named by the hash of
// the 1x rendition (`name`, unique: the same image uploaded twice is one row), its 2x twin beside
// it; the files themselves live in the media store (a folder or S3), not in the database. Who
// uploaded it is kept by name, as the library's items keep theirs.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function media(kind: DatabaseKind): Migration {
  const { timestamp, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('media')
        .addColumn('id', 'integer', id)
        // `<sha256>.<ext>` and `<sha256>-2x.<ext>` (src/media/media-files.ts's mediaNames).
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('name2x', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('jpeg', 'png', 'gif')`))
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('bytes2x', 'integer', (c) => c.notNull())
        // The uploaded file's name, for people to recognise it; never used to decide anything.
        .addColumn('original_name', 'text', (c) => c.notNull())
        .addColumn('created_by_kind', 'text', (c) => c.notNull().check(sql`created_by_kind in ('staff', 'token')`))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
