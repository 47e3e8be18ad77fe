// Clicks per language: a tracked link's count split by the language of the mail it was followed
// from, still in aggregate (link × language, never a reader). campaign_links.clicks stays the
// link's total, which also holds the clicks on links mailed before the language was in them.
import type { Kysely, Migration } from 'kysely';

export function clicksByLanguage(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('campaign_link_clicks')
        .addColumn('link_id', 'integer', (c) => c.notNull().references('campaign_links.id').onDelete('cascade'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('campaign_link_clicks_pk', ['link_id', 'language'])
        .execute();
    },
  };
}
