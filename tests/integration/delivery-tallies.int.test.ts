// The tallies the campaign report reads instead of the ledger stay exactly the ledger counted:
// after every kind of change, after a change that runs twice, and when a change fails half-way.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberLifecycle } from '../../src/audience/subscriber-lifecycle.js';
import { SesEventStore } from '../../src/events/ses-event-store.js';
import { createStores, type Stores } from '../../src/stores.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { testMediaFiles } from '../helpers/media.js';

describe.each(databaseKinds())('delivery tallies on %s', (kind) => {
  let db: TestDatabase;
  let stores: Stores;
  let bulletin: { id: number; versionId: number };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    stores = createStores(db.database, {
      appSecret: 'tallies-secret-tallies-secret-tallies',
      publicUrl: 'https://news.example.org',
      media: testMediaFiles(),
    });
    bulletin = await stores.bulletins.create({
      version: 1,
      title: 'Boletín',
      languages: ['en', 'es'],
      subject: { en: 'News', es: 'Noticias' },
      blocks: [],
    });
    for (let i = 0; i < 12; i++)
      await stores.subscribers.create(
        {
          email: `t${i}@tallies.org`,
          name: '',
          language: i % 3 ? 'en' : 'es',
          status: 'active',
          topics: [],
          tags: [],
          attributes: {},
        },
        'api',
      );
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** A sending campaign with the twelve subscribers snapshotted into its ledger. */
  const snapshotted = async () => {
    const id = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null });
    await stores.ledger.snapshotAudience({ id, rule: { all: [] }, topic: null }, ['en', 'es'], new Date());
    return id;
  };
  const sql_ = () => db.database.db;
  /** The tallies as the report reads them (rows counted at 0 left out). */
  const tallies = async (id: number) =>
    (
      await sql_()
        .selectFrom('delivery_tallies')
        .select(['status', 'language', 'deliveries', 'sent', 'delivered'])
        .where('campaign_id', '=', id)
        .execute()
    )
      .map((t) => ({ ...t, deliveries: Number(t.deliveries), sent: Number(t.sent), delivered: Number(t.delivered) }))
      .filter((t) => t.deliveries || t.sent || t.delivered)
      .sort((a, b) => `${a.status} ${a.language}`.localeCompare(`${b.status} ${b.language}`));
  /** The ledger counted as the tallies count it. */
  const counted = async (id: number) =>
    (
      await sql_()
        .selectFrom('deliveries')
        .select((eb) => [
          'status',
          'language',
          eb.fn.countAll<number>().as('deliveries'),
          eb.fn.count<number>('sent_at').as('sent'),
          eb.fn.count<number>('delivered_at').as('delivered'),
        ])
        .where('campaign_id', '=', id)
        .groupBy(['status', 'language'])
        .execute()
    )
      .map((t) => ({ ...t, deliveries: Number(t.deliveries), sent: Number(t.sent), delivered: Number(t.delivered) }))
      .sort((a, b) => `${a.status} ${a.language}`.localeCompare(`${b.status} ${b.language}`));
  const expectTalliesRight = async (id: number) => expect(await tallies(id)).toEqual(await counted(id));

  it('equal the ledger counted after a snapshot, claims, settles, a lost worker, a retry, a delivery', async () => {
    const id = await snapshotted();
    await expectTalliesRight(id);
    expect((await tallies(id)).map((t) => [t.status, t.language, t.deliveries])).toEqual([
      ['queued', 'en', 8],
      ['queued', 'es', 4],
    ]);
    const [first, second, third] = await stores.ledger.queuedBatches(id, 4);

    const rows = await stores.ledger.claim(id, first!, 'claim-1');
    await expectTalliesRight(id);
    await stores.ledger.settle('claim-1', [
      { id: rows[0]!.id, outcome: { status: 'sent', messageId: 'm-0' } },
      { id: rows[1]!.id, outcome: { status: 'sent', messageId: 'm-1' } },
      { id: rows[2]!.id, outcome: { status: 'failed', error: 'MessageRejected' } },
      { id: rows[3]!.id, outcome: { status: 'skipped', error: 'subscriber is unsubscribed' } },
    ]);
    await expectTalliesRight(id);

    // A worker claimed the second batch and died; the batch runs again under a new claim.
    await stores.ledger.claim(id, second!, 'claim-dead');
    expect(await stores.ledger.markAbandoned(id, second!, 'claim-2')).toBe(4);
    await expectTalliesRight(id);

    // The third batch gave up after repeated errors, half of it claimed.
    await stores.ledger.claim(id, { fromId: third!.fromId, toId: third!.fromId + 1 }, 'claim-3');
    await stores.ledger.failRange(id, third!, 'Throttling');
    await expectTalliesRight(id);

    const events = new SesEventStore(sql_(), new SubscriberLifecycle(stores.suppressions), 3);
    await events.apply(randomUUID(), 'Notification', { kind: 'delivery', messageId: 'm-0', at: undefined });
    await expectTalliesRight(id);
    expect((await tallies(id)).reduce((n, t) => n + t.delivered, 0)).toBe(1);

    expect(await stores.ledger.requeue(id, ['failed', 'unknown'])).toBe(9);
    await expectTalliesRight(id);
    await stores.ledger.cancelQueued(id);
    await expectTalliesRight(id);
    expect((await tallies(id)).reduce((n, t) => n + t.deliveries, 0)).toBe(12);
  });

  it('count nothing twice when a settle or a lost worker is handled again', async () => {
    const id = await snapshotted();
    const [batch] = await stores.ledger.queuedBatches(id, 12);
    const rows = await stores.ledger.claim(id, batch!, 'claim-a');
    const settlements = rows.map((r) => ({ id: r.id, outcome: { status: 'sent' as const, messageId: `a-${r.id}` } }));
    await stores.ledger.settle('claim-a', settlements.slice(0, 6));
    await stores.ledger.settle('claim-a', settlements.slice(0, 6));
    await stores.ledger.markAbandoned(id, batch!, 'claim-b');
    await stores.ledger.markAbandoned(id, batch!, 'claim-b');
    await stores.ledger.claim(id, batch!, 'claim-b');
    await expectTalliesRight(id);
    expect((await tallies(id)).map((t) => [t.status, t.deliveries])).toEqual([
      ['sent', 4],
      ['sent', 2],
      ['unknown', 4],
      ['unknown', 2],
    ]);
  });

  it('fail with the ledger change they count: a change that cannot be counted is not made', async () => {
    const id = await snapshotted();
    const [batch] = await stores.ledger.queuedBatches(id, 12);
    // The tallies gone for a moment: the claim's count fails after its UPDATE of the ledger.
    await sql`alter table delivery_tallies rename to delivery_tallies_away`.execute(sql_());
    try {
      await expect(stores.ledger.claim(id, batch!, 'claim-x')).rejects.toThrow();
    } finally {
      await sql`alter table delivery_tallies_away rename to delivery_tallies`.execute(sql_());
    }
    expect((await counted(id)).map((t) => t.status)).toEqual(['queued', 'queued']);
    await expectTalliesRight(id);
  });

  it('leave the queued rows to batches of consecutive ids, cut by the database', async () => {
    const id = await snapshotted();
    const ids = (
      await sql_().selectFrom('deliveries').select('id').where('campaign_id', '=', id).orderBy('id').execute()
    ).map((row) => row.id);
    // The first five rows claimed: only the seven still queued are cut, five to a batch.
    await stores.ledger.claim(id, { fromId: ids[0]!, toId: ids[4]! }, 'claim-q');
    expect(await stores.ledger.queuedBatches(id, 5)).toEqual([
      { fromId: ids[5], toId: ids[9] },
      { fromId: ids[10], toId: ids[11] },
    ]);
    expect(await stores.ledger.queuedBatches(id, 50)).toEqual([{ fromId: ids[5], toId: ids[11] }]);
  });
});
