// Migration 0023 on campaigns made before it: each that had started takes the settings' logo of
// the day of the upgrade as the logo it went out with, so the media library keeps that image; a
// campaign yet to start records its own when it does. The database is brought back to its shape
// before 0023, then the migration runs as it would.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinStore } from '../../src/bulletins/bulletin-store.js';
import { campaignLogo } from '../../src/db/migrations/0023-campaign-logo.js';
import { SettingsStore } from '../../src/settings/settings-store.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

const LOGO = 'https://nnirr.org/media/logo.png';

describe.each(databaseKinds())('migration 0023 on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("gives each started campaign today's logo, and none to one yet to start", async () => {
    const { db: kysely } = db.database;
    await new SettingsStore(kysely).update({ logoUrl: LOGO });
    const bulletin = await new BulletinStore(kysely).create(exampleBulletin());
    const sent = await insertCampaign(db, bulletin);
    const scheduled = await insertCampaign(db, bulletin, { state: 'scheduled', started_at: null, finished_at: null });

    await sql`alter table campaigns drop column logo_url`.execute(kysely);
    await campaignLogo().up(kysely);

    const rows = await kysely.selectFrom('campaigns').select(['id', 'logo_url']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: sent, logo_url: LOGO },
      { id: scheduled, logo_url: null },
    ]);
  });
});
