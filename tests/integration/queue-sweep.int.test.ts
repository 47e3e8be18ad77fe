// The queue sweep on a real database and the real Redis (queues of the test's own prefix): it
// queues again the start of each campaign with work and no job, once however many workers sweep
// at once, and leaves alone every campaign that has a job.
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../src/db/schema.js';
import { bullConnection } from '../../src/redis.js';
import { QueueSweep } from '../../src/sending/queue-sweep.js';
import { DELIVERIES_QUEUE, SendQueues } from '../../src/sending/send-queues.js';
import { testMediaFiles } from '../helpers/media.js';
import { createStores, type Stores } from '../../src/stores.js';
import { REDIS_URL } from '../helpers/app.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

const HOUR = 3_600_000;

describe.each(databaseKinds())('the queue sweep on %s', (kind) => {
  let db: TestDatabase;
  let stores: Stores;
  let bulletin: { id: number; versionId: number };
  const prefix = `test-${randomUUID()}`;
  /** Two workers' queues and sweeps, each on a connection of its own. */
  const workers = [0, 1].map(() => {
    const connection = bullConnection(REDIS_URL);
    return { connection, queues: new SendQueues(connection, prefix, 10_000) };
  });
  const [{ queues }] = workers as [(typeof workers)[number]];
  const sweeps = () =>
    workers.map((w) => new QueueSweep({ ...stores, queues: w.queues, logger: pino({ level: 'silent' }) }));

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    stores = createStores(db.database, {
      appSecret: 'x'.repeat(40),
      publicUrl: 'https://news.example.org',
      media: testMediaFiles(),
    });
    bulletin = await stores.bulletins.create({
      version: 1,
      title: 'Boletín',
      languages: ['en'],
      subject: { en: 'News' },
      blocks: [],
    });
  });
  afterEach(async () => {
    // Each test starts with no job and no campaign with work
    await queues.campaigns.obliterate({ force: true });
    await queues.deliveries.obliterate({ force: true });
    await db.database.db.updateTable('campaigns').set({ state: 'cancelled' }).execute();
  });
  afterAll(async () => {
    for (const { queues, connection } of workers) {
      await queues.close();
      connection.disconnect();
    }
    await db?.drop();
  });

  const unstarted = { started_at: null, finished_at: null };
  const addRows = async (campaignId: number, statuses: DeliveryStatus[]) => {
    const rows = await db.database.db
      .insertInto('deliveries')
      .values(
        statuses.map((status) => ({
          campaign_id: campaignId,
          subscriber_id: null,
          language: 'en',
          status,
          claim: status === 'sending' ? 'batch-0-0-0#a-dead-worker' : null,
          updated_at: new Date().toISOString(),
        })),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  };
  const statusesOf = async (campaignId: number) =>
    (
      await db.database.db
        .selectFrom('deliveries')
        .select('status')
        .where('campaign_id', '=', campaignId)
        .orderBy('id')
        .execute()
    ).map((r) => r.status);

  it('queues again, once, the start of scheduled and preparing campaigns with no job, whoever sweeps', async () => {
    const due = await insertCampaign(db, bulletin, { ...unstarted, state: 'scheduled' });
    const later = new Date(Date.now() + HOUR).toISOString();
    const future = await insertCampaign(db, bulletin, { ...unstarted, state: 'scheduled', scheduled_at: later });
    const preparing = await insertCampaign(db, bulletin, { ...unstarted, state: 'preparing' });
    await insertCampaign(db, bulletin, { state: 'paused', finished_at: null });
    await insertCampaign(db, bulletin, { state: 'sent' });

    const swept = await Promise.all(sweeps().map((s) => s.sweep()));
    expect(swept.flat().sort((a, b) => a - b)).toEqual([due, future, preparing]);
    expect(await queues.campaigns.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 2, delayed: 1 });
    expect(await queues.campaigns.getJob(`start-${due}-0`)).toMatchObject({ data: { campaignId: due } });
    const futureJob = (await queues.campaigns.getJob(`start-${future}-0`))!;
    expect(await futureJob.isDelayed()).toBe(true);
    expect(futureJob.timestamp + futureJob.delay).toBeGreaterThan(Date.now() + HOUR / 2); // at its time, not now
    expect(await queues.campaigns.getJob(`start-${preparing}-0`)).toMatchObject({ data: { campaignId: preparing } });

    // Once the jobs are there, a sweep finds nothing to do
    expect(await Promise.all(sweeps().map((s) => s.sweep()))).toEqual([[], []]);
    expect(await queues.campaigns.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 2, delayed: 1 });
  });

  it('gives a sending campaign with no job a new run: rows left sending are unknown, queued ones go on', async () => {
    const id = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null });
    await addRows(id, ['sent', 'sending', 'queued', 'sending', 'queued', 'failed']);

    const swept = await Promise.all(sweeps().map((s) => s.sweep()));
    expect(swept.flat()).toEqual([id]);
    expect(await statusesOf(id)).toEqual(['sent', 'unknown', 'queued', 'unknown', 'queued', 'failed']);
    const campaign = await stores.campaigns.get(id);
    expect(campaign).toMatchObject({ state: 'sending', run: 1 });
    expect(await queues.campaigns.getJob(`start-${id}-1`)).toMatchObject({ data: { campaignId: id } });
    expect(await stores.campaigns.requeueLost(id, 0)).toBe(false); // a sweep that read run 0 starts no other run

    expect(await sweeps()[1]!.sweep()).toEqual([]);
    expect((await stores.campaigns.get(id)).run).toBe(1);
  });

  it('leaves alone every campaign with a job running, waiting or delayed, and its rows in flight', async () => {
    const sending = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null });
    const [first, , last] = await addRows(sending, ['sending', 'queued', 'queued']);
    await queues.enqueueBatches(sending, 0, [{ fromId: first!, toId: last! }]);
    // A worker takes the batch and holds it, as one sending it would
    const busy = new Worker(DELIVERIES_QUEUE, null, { connection: workers[1]!.connection, prefix, autorun: false });
    expect(await busy.getNextJob('a-busy-worker')).toMatchObject({ id: `batch-${sending}-0-${first}` });
    expect(await queues.deliveries.getJobCounts('active')).toEqual({ active: 1 });
    const resumed = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null, run: 1 });
    await addRows(resumed, ['queued']);
    await queues.scheduleStart(resumed, new Date(), 1);
    const scheduled = await insertCampaign(db, bulletin, { ...unstarted, state: 'scheduled' });
    await queues.scheduleStart(scheduled, new Date(Date.now() + HOUR));

    expect(await Promise.all(sweeps().map((s) => s.sweep()))).toEqual([[], []]);
    expect(await statusesOf(sending)).toEqual(['sending', 'queued', 'queued']);
    expect((await stores.campaigns.get(sending)).run).toBe(0);
    expect((await stores.campaigns.get(resumed)).run).toBe(1);
    expect(await queues.campaigns.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 1 });
    await busy.close(true);
  });
});
