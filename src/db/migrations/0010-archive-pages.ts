// The public archive is opt-in per send, and its pages are stored when a campaign is prepared:
// `campaigns.archive`, and `archive_pages` (the archive's copy of a campaign per language), so an
// anonymous reader never makes the server render. A migration cannot render: the pages of
// campaigns published before this one are rendered by ArchivePages.backfill when `npm start` starts.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function archivePages(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('campaigns')
        .addColumn('archive', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // What the archive showed before (every send with link tracking on), less the sends to
      // private topics, which are never public: mail already sent links to those pages.
      await db
        .updateTable('campaigns')
        .set({ archive: 1 })
        .where('tracking', '=', 'aggregate')
        .where((eb) =>
          eb.or([
            eb('topic', 'is', null),
            eb('topic', 'in', eb.selectFrom('topics').select('key').where('public', '=', 1)),
          ]),
        )
        .execute();
      await db.schema
        .createTable('archive_pages')
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_pages_pkey', ['campaign_id', 'language'])
        .execute();
    },
  };
}
