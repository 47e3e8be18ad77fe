// Link tracking in aggregate: one row per (campaign, block, link) with its click count. No
// table ties a click to a person.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function linkTracking(kind: DatabaseKind): Migration {
  const { id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('campaign_links')
        .addColumn('id', 'integer', id)
        .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('block', 'integer', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('campaign_links_campaign_block_url', ['campaign_id', 'block', 'url'])
        .execute();
    },
  };
}
