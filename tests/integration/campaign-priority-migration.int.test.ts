// Migration 0024 on campaigns made before it: each is normal, a new one is normal unless told, and
// the database refuses a priority it does not know. The database is brought back to its shape
// before 0024, then the migration runs as it would.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinStore } from '../../src/bulletins/bulletin-store.js';
import { campaignPriority } from '../../src/db/migrations/0024-campaign-priority.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

describe.each(databaseKinds())('migration 0024 on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('makes every campaign normal, and takes only normal or urgent', async () => {
    const { db: kysely } = db.database;
    const bulletin = await new BulletinStore(kysely).create(exampleBulletin());
    await sql`alter table campaigns drop column priority`.execute(kysely);
    const sent = await insertCampaign(db, bulletin);
    const scheduled = await insertCampaign(db, bulletin, { state: 'scheduled', started_at: null, finished_at: null });

    await campaignPriority().up(kysely);

    const rows = await kysely.selectFrom('campaigns').select(['id', 'priority']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: sent, priority: 'normal' },
      { id: scheduled, priority: 'normal' },
    ]);
    const urgent = await insertCampaign(db, bulletin, { priority: 'urgent' });
    expect(await kysely.selectFrom('campaigns').select('priority').where('id', '=', urgent).executeTakeFirst()).toEqual(
      { priority: 'urgent' },
    );
    await expect(insertCampaign(db, bulletin, { priority: 'high' as 'urgent' })).rejects.toThrow(/check/i);
  });
});
