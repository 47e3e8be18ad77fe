// Migration 0026 on campaigns made before it: each is a send of its bulletin ('bulletin'), the
// database takes no other kind than 'welcome', keeps one welcome_mail row, and one welcome
// recipient row per person. The database is brought back to its shape before 0026, then the
// migration runs as it would.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinStore } from '../../src/bulletins/bulletin-store.js';
import { welcomeMail } from '../../src/db/migrations/0026-welcome-mail.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

describe.each(databaseKinds())('migration 0026 on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('makes every campaign a send of its bulletin, and keeps the welcome mail’s rows to their rules', async () => {
    const { db: kysely } = db.database;
    const bulletin = await new BulletinStore(kysely).create(exampleBulletin());
    await kysely.schema.dropTable('welcome_recipients').execute();
    await kysely.schema.dropTable('welcome_mail').execute();
    await sql`alter table campaigns drop column kind`.execute(kysely);
    const sent = await insertCampaign(db, bulletin);

    await welcomeMail(kind).up(kysely);

    expect(await kysely.selectFrom('campaigns').select(['id', 'kind']).execute()).toEqual([
      { id: sent, kind: 'bulletin' },
    ]);
    const welcome = await insertCampaign(db, bulletin, { kind: 'welcome' });
    await expect(insertCampaign(db, bulletin, { kind: 'other' as 'welcome' })).rejects.toThrow(/check/i);

    const now = new Date().toISOString();
    await kysely
      .insertInto('welcome_mail')
      .values({ id: 1, bulletin_id: null, campaign_id: welcome, updated_at: now })
      .execute();
    await expect(
      kysely
        .insertInto('welcome_mail')
        .values({ id: 2, bulletin_id: null, campaign_id: null, updated_at: now })
        .execute(),
    ).rejects.toThrow(/check/i);
    const person = await kysely
      .insertInto('subscribers')
      .values({
        email: 'ana@example.org',
        name: '',
        language: 'en',
        status: 'active',
        attributes: '{}',
        email_hash: null,
        paused_until: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const once = { subscriber_id: person.id, campaign_id: welcome, created_at: now };
    await kysely.insertInto('welcome_recipients').values(once).execute();
    await expect(kysely.insertInto('welcome_recipients').values(once).execute()).rejects.toThrow(/unique|primary/i);
  });
});
