// Redis losing its data in the middle of a campaign: a Redis of the test's own, with no persistence,
// is flushed (FLUSHALL) the moment SES accepts the 700th of 2,000 mails, and the worker (its own
// process) is killed at the same moment and started again. Every start and batch job is gone; the
// new worker's sweep finds the campaign `sending` with no job and queues its rows again. It
// finishes with nobody mailed twice and every person mailed once or `unknown`. The shared Redis
// is never touched.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { HAS_REDIS_SERVER, OwnRedis } from '../support/own-redis.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 2000;
const LOST_AT = 700;

describe.skipIf(!HAS_REDIS_SERVER).each(databaseKinds())(
  'Redis losing its data mid-campaign on %s (needs redis-server on PATH)',
  (kind) => {
    let redis: OwnRedis;
    let ses: ScriptedSes;
    let app: TestApp;
    let worker: WorkerProcess | undefined;

    beforeAll(async () => {
      redis = new OwnRedis({ appendOnly: false });
      await redis.start();
      ses = await new ScriptedSes().start();
      ses.delayMs = 20; // so that sends are in flight at the flush
      app = await startTestApp(kind, { sesEndpoint: ses.url, redisUrl: redis.url, env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
      await worker?.stop('SIGKILL');
      await app?.close();
      await ses?.close();
      await redis?.close();
    });

    it('finishes after a FLUSHALL and a worker restart: nobody mailed twice, everyone mailed or unknown', async () => {
      const bulletinId = await sendableBulletin(app);
      await importAudience(app, RECIPIENTS, 'f', 'flush.org');
      const workerOptions = { sesEndpoint: ses.url, env: { REDIS_URL: redis.url, SES_MAX_SEND_RATE: '500' } };
      worker = new WorkerProcess(app, workerOptions);

      // The worst moment: SES has taken the mail and the worker has not heard so
      const flusher = new Redis(redis.url);
      let lost!: () => void;
      const flushed = new Promise<void>((resolve) => (lost = resolve));
      ses.onAccept = (accepted) => {
        if (accepted !== LOST_AT) return;
        void worker!.stop('SIGKILL').then(async () => {
          await flusher.flushall();
          lost();
        });
      };
      const campaign = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'flush.org' } },
        })
      ).json();
      await flushed;
      flusher.disconnect();
      ses.onAccept = () => {};

      const ledger = app.db.database.db;
      const inFlight = await ledger
        .selectFrom('deliveries')
        .select(ledger.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'sending')
        .executeTakeFirstOrThrow();
      expect(Number(inFlight.n)).toBeGreaterThan(0); // the flush did land in the middle of sends
      expect((await app.request('GET', `/api/campaigns/${campaign.id}`).then((r) => r.json())).state).toBe('sending');

      worker = new WorkerProcess(app, workerOptions);
      const report = await waitForCampaign(app, campaign.id, ['sent'], 120_000);

      const rows = await ledger
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['subscribers.email', 'deliveries.status'])
        .where('campaign_id', '=', campaign.id)
        .execute();
      expect(rows).toHaveLength(RECIPIENTS);
      for (const row of rows) {
        const received = ses.count(row.email);
        if (row.status === 'sent') expect(received, row.email).toBe(1);
        else {
          expect(row.status, row.email).toBe('unknown');
          expect(received, row.email).toBeLessThanOrEqual(1);
        }
      }
      const unknown = rows.filter((r) => r.status === 'unknown').length;
      expect(report.counts).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS - unknown, unknown, queued: 0 });
      // Only the sends in flight at the flush can be unknown; the sweep said what it did
      expect(unknown).toBeLessThanOrEqual(Number(inFlight.n));
      expect(worker.output).toMatch(/a sending campaign had no job/);
      expect(worker.running, worker.output).toBe(true);
    }, 240_000);
  },
);
