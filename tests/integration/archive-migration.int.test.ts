// Migration 0010 on campaigns made before it: what the archive showed then (sends with link
// tracking on) stays published, except the sends to a private topic, which never are. The
// database is brought back to its shape before 0010, then the migration runs as it would.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinStore } from '../../src/bulletins/bulletin-store.js';
import { archivePages } from '../../src/db/migrations/0010-archive-pages.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

describe.each(databaseKinds())('migration 0010 on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('publishes the sends the archive showed before, but none to a private topic', async () => {
    const { db: kysely } = db.database;
    const now = new Date().toISOString();
    for (const [key, visible] of [
      ['news', 1],
      ['members', 0],
    ] as const)
      await kysely
        .insertInto('topics')
        .values({ key, name: '{"en":"x"}', description: '{}', public: visible, created_at: now, updated_at: now })
        .execute();
    const { id, versionId } = await new BulletinStore(kysely).create(exampleBulletin());
    const campaign = (tracking: 'aggregate' | 'off', topic: string | null) =>
      insertCampaign(db, { id, versionId }, { tracking, topic });
    const published = [await campaign('aggregate', null), await campaign('aggregate', 'news')];
    const kept = [
      await campaign('off', null),
      await campaign('aggregate', 'members'),
      await campaign('aggregate', 'gone-topic'),
    ];

    // Back to the shape before 0010.
    await kysely.schema.dropTable('archive_pages').execute();
    await sql`alter table campaigns drop column archive`.execute(kysely);
    await archivePages(kind).up(kysely);

    const rows = await kysely.selectFrom('campaigns').select(['id', 'archive']).orderBy('id').execute();
    expect(rows.filter((r) => r.archive === 1).map((r) => r.id)).toEqual(published);
    expect(rows.filter((r) => r.archive === 0).map((r) => r.id)).toEqual(kept);
    expect(await kysely.selectFrom('archive_pages').selectAll().execute()).toEqual([]);
  });
});
