// Migration 0021 on a database with campaigns and deliveries made before it: every row and index
// stays, the deliveries still point at their campaign, and a campaign may now await approval (and
// still be in no state outside the list).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrateUpTo } from '../../src/db/migrate.js';
import { testMediaFiles } from '../helpers/media.js';
import { createStores } from '../../src/stores.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { indexDefinitions, migrateUpToOn } from '../helpers/migrations.js';

describe.each(databaseKinds())('migration 0021 on %s', (kind) => {
  let test: TestDatabase;
  const migrate = (database: Database, last: string) => migrateUpToOn(kind, database, last);

  beforeAll(async () => {
    test = await createTestDatabase(kind, (database) => migrateUpTo(database, '0020-audit-trail'));
  });
  afterAll(async () => {
    await test?.drop();
  });

  const indexes = () => indexDefinitions(test.database, ['campaigns']);

  it('keeps campaigns, their deliveries and indexes, and lets a campaign await approval', async () => {
    const { db } = test.database;
    const stores = createStores(test.database, {
      appSecret: 'x'.repeat(40),
      publicUrl: 'https://news.example.org',
      media: testMediaFiles(),
    });
    const bulletin = await stores.bulletins.create({
      version: 1,
      title: 'Boletín',
      languages: ['en'],
      subject: { en: 'News' },
      blocks: [],
    });
    const id = await insertCampaign(test, bulletin, { state_reason: 'kept' });
    await db
      .insertInto('deliveries')
      .values({
        campaign_id: id,
        subscriber_id: null,
        language: 'en',
        status: 'sent',
        updated_at: new Date().toISOString(),
      })
      .execute();
    const before = await db.selectFrom('campaigns').selectAll().execute();
    const deliveriesBefore = await db.selectFrom('deliveries').selectAll().execute();
    const indexesBefore = await indexes();
    expect(indexesBefore.length).toBeGreaterThan(0);

    await migrate(test.database, '0021-send-approval');

    const after = await db.selectFrom('campaigns').selectAll().execute();
    expect(after).toEqual(
      before.map((row) => ({ ...row, requested_by_kind: null, requested_by_id: null, requested_audience: null })),
    );
    expect(await db.selectFrom('deliveries').selectAll().execute()).toEqual(deliveriesBefore);
    expect(await indexes()).toEqual(indexesBefore);
    await db.updateTable('campaigns').set({ state: 'awaiting_approval' }).where('id', '=', id).execute();
    await expect(
      db
        .updateTable('campaigns')
        .set({ state: 'bogus' as never })
        .where('id', '=', id)
        .execute(),
    ).rejects.toThrow(/check/i);
    // Deleting the campaign still takes its deliveries with it: the foreign key survived the rebuild.
    if (kind === 'sqlite') await sql`pragma foreign_keys = on`.execute(db);
    await db.deleteFrom('campaigns').where('id', '=', id).execute();
    expect(await db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
  });
});
