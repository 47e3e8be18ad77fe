// Redis killed (SIGKILL) in the middle of a campaign and started again on the same port and data
// directory, as a production Redis for BullMQ runs: with an append-only file synced on every
// write. The worker (its own process) and the web app ride out the gap, and the campaign ends
// with every recipient mailed exactly once and exact counts. A send asked for during the gap
// answers after QUEUE_WAIT_MS with its campaign scheduled, and goes out once Redis is back. The
// test runs a Redis of its own, never the shared one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { HAS_REDIS_SERVER, OwnRedis } from '../support/own-redis.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 1500;
/** A second campaign, sent by staff while Redis is away. */
const LATE_RECIPIENTS = 200;
/** How long the web app waits for Redis to queue a start (QUEUE_WAIT_MS), lowered for the test. */
const QUEUE_WAIT_MS = 500;

describe.skipIf(!HAS_REDIS_SERVER).each(databaseKinds())(
  'Redis restarted mid-campaign on %s (needs redis-server on PATH)',
  (kind) => {
    let redis: OwnRedis;
    let ses: ScriptedSes;
    let app: TestApp;
    let worker: WorkerProcess | undefined;

    beforeAll(async () => {
      redis = new OwnRedis({ appendOnly: true });
      await redis.start();
      ses = await new ScriptedSes().start();
      ses.delayMs = 20; // so that sends are in flight when Redis dies
      // REDIS_URL for the app's queues, redisUrl for its health check: both on this Redis
      app = await startTestApp(kind, {
        sesEndpoint: ses.url,
        redisUrl: redis.url,
        env: { REDIS_URL: redis.url, QUEUE_WAIT_MS: String(QUEUE_WAIT_MS) },
      });
    });
    afterAll(async () => {
      await worker?.stop('SIGKILL');
      await app?.close();
      await ses?.close();
      await redis?.close();
    });

    it('finishes the campaign and one sent during the outage: each recipient mailed once, exact counts', async () => {
      const bulletinId = await sendableBulletin(app);
      await importAudience(app, RECIPIENTS, 'r', 'restart.org');
      await importAudience(app, LATE_RECIPIENTS, 'l', 'late.org');
      worker = new WorkerProcess(app, {
        sesEndpoint: ses.url,
        env: { REDIS_URL: redis.url, SES_MAX_SEND_RATE: '500' },
      });

      // Redis dies the moment SES has accepted the 500th mail, with batches in flight and more queued
      let redisKilled!: () => void;
      const killed = new Promise<void>((resolve) => (redisKilled = resolve));
      ses.onAccept = (accepted) => {
        if (accepted === 500) void redis.kill().then(redisKilled);
      };
      const campaign = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'restart.org' } },
        })
      ).json();
      await killed;

      // While Redis is away the web app still answers: health names Redis, reports come from the database
      const health = await app.request('GET', '/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ redis: 'unreachable', failing: ['redis'] });
      expect((await app.request('GET', `/api/campaigns/${campaign.id}`)).status).toBe(200);
      // A send asked for now waits QUEUE_WAIT_MS for Redis, then answers without its start job:
      // the campaign is written, 'scheduled', and its start is queued once Redis is back
      const late = await Promise.race([
        app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'late.org' } },
        }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer while Redis is away')), 60_000)),
      ]);
      expect(late.status).toBe(201);
      const lateCampaign = await late.json();
      expect(lateCampaign.state).toBe('scheduled');
      // and one scheduled for later can be cancelled meanwhile: its start, queued or not, finds it cancelled
      const later = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'late.org' }, scheduledAt: new Date(Date.now() + 3_600_000) },
        })
      ).json();
      const cancelled = await app.request('POST', `/api/campaigns/${later.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ state: 'cancelled' });
      expect(worker.running, worker.output).toBe(true);

      await redis.start();
      const report = await waitForCampaign(app, campaign.id, ['sent'], 60_000);
      expect(report.counts).toMatchObject({
        total: RECIPIENTS,
        sent: RECIPIENTS,
        failed: 0,
        queued: 0,
        sending: 0,
        unknown: 0,
      });
      for (let i = 0; i < RECIPIENTS; i++) expect(ses.count(`r${i}@restart.org`), `r${i}`).toBe(1);
      const lateReport = await waitForCampaign(app, lateCampaign.id, ['sent'], 60_000);
      expect(lateReport.counts).toMatchObject({ total: LATE_RECIPIENTS, sent: LATE_RECIPIENTS, unknown: 0 });
      for (let i = 0; i < LATE_RECIPIENTS; i++) expect(ses.count(`l${i}@late.org`), `l${i}`).toBe(1);
      expect(ses.received.length).toBe(RECIPIENTS + LATE_RECIPIENTS);
      expect((await app.request('GET', '/healthz')).status).toBe(200);
      expect(worker.running, worker.output).toBe(true);
      // What the worker said of the outage went through its logger: JSON lines, no raw stack traces
      expect(worker.output.split('\n').filter((line) => line.trim() && !line.startsWith('{'))).toEqual([]);
    }, 180_000);
  },
);
