// `retry-failed` and the rows a dead worker left `unknown`: without "unknown" only failed rows go
// again; with it, each unknown row is sent once more (its person may get the mail twice, which is
// what staff accept by asking), and nobody else gets anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 60;

describe.each(databaseKinds())('retrying unknown rows on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  const workers: WorkerProcess[] = [];
  const startWorker = () => {
    // 20/s: three batches of 20, one a second.
    const worker = new WorkerProcess(app, { sesEndpoint: ses.url, env: { SES_MAX_SEND_RATE: '20' } });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    ses.delayMs = 30; // so that a batch's sends are in flight when its worker dies
    app = await startTestApp(kind, { sesEndpoint: ses.url });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await app.close();
    await ses.close();
  });

  it('queues unknown rows only when included, and sends each of them exactly once', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, RECIPIENTS, 'k', 'unknown.org');
    // k1 is rejected for good: a failed row. The first worker dies when SES has accepted the 25th
    // mail, in the middle of the second batch; the sends still in flight then are refused.
    let dead = false;
    ses.script = (to) => (to === 'k1@unknown.org' ? 'reject' : dead ? 'fault' : 'accept');
    const first = startWorker();
    ses.onAccept = (accepted) => {
      if (accepted !== 25) return;
      dead = true;
      void first.stop('SIGKILL');
    };
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'unknown.org' } },
      })
    ).json();
    await first.exited;
    while (ses.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    ses.onAccept = () => {};
    dead = false;
    startWorker();
    // The dead worker's batch runs again once its lock has lapsed; its rows become unknown.
    const report = await waitForCampaign(app, campaign.id, ['sent']);
    expect(report.counts.failed).toBe(1);
    expect(report.counts.unknown).toBeGreaterThan(0);
    expect(report.counts.sent + report.counts.unknown + 1).toBe(RECIPIENTS);

    const ledger = async () =>
      app.db.database.db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['subscribers.email', 'deliveries.status'])
        .where('campaign_id', '=', campaign.id)
        .execute();
    const before = await ledger();
    const unknown = before.filter((r) => r.status === 'unknown').map((r) => r.email);
    expect(unknown).toHaveLength(report.counts.unknown);
    const mailsBefore = new Map(before.map((r) => [r.email, ses.count(r.email)]));
    const attemptsBefore = ses.attempts.get('k1@unknown.org');

    // Without "unknown" (the default), only the failed row goes again: SES refuses it again.
    const failedOnly = await app.request('POST', `/api/campaigns/${campaign.id}/retry-failed`, { json: {} });
    expect((await failedOnly.json()).requeued).toBe(1);
    const afterFailed = await waitForCampaign(app, campaign.id, ['sent']);
    expect(afterFailed.counts).toMatchObject({ failed: 1, unknown: unknown.length });
    expect(ses.attempts.get('k1@unknown.org')).toBe(attemptsBefore! + 1);

    // With "unknown", those rows go again, each once.
    const withUnknown = await app.request('POST', `/api/campaigns/${campaign.id}/retry-failed`, {
      json: { include: ['unknown'] },
    });
    expect(await withUnknown.json()).toMatchObject({ requeued: unknown.length, campaign: { state: 'sending' } });
    const done = await waitForCampaign(app, campaign.id, ['sent']);
    expect(done.counts).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS - 1, failed: 1, unknown: 0 });
    for (const { email, status } of await ledger()) {
      const more = ses.count(email) - mailsBefore.get(email)!;
      expect(more, email).toBe(unknown.includes(email) ? 1 : 0);
      expect(status, email).toBe(email === 'k1@unknown.org' ? 'failed' : 'sent');
    }
  }, 120_000);
});
