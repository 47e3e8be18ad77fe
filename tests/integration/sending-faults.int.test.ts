// Faults from SES, injected by a scripted SES-compatible server: throttling and faults are
// retried and sent once, rejections fail their row, a spent daily quota puts the batch off for an
// hour, a paused account pauses the campaign, and too many errors in a row pause it too; a
// campaign-long storm of 429s and 500s slows the pace and still ends with every mail sent once.
// Counts stay exact.
import { createHash } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { DELIVERIES_QUEUE, type BatchJob } from '../../src/sending/send-queues.js';
import { SesSender, sesClient } from '../../src/sending/ses-sender.js';
import { ScriptedSes } from '../support/scripted-ses.js';
import { SnsSigner, TEST_TOPIC_ARN, sesMessage } from '../support/sns-signer.js';

describe.each(databaseKinds())('SES faults on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;
  const send = async (domain: string) => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, rule: { emailDomain: domain } },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as number;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env: { SES_MAX_SEND_RATE: '100', SEND_ERROR_LIMIT: '5' },
    });
    bulletinId = await sendableBulletin(app);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('retries throttling and faults until sent once, and fails rejected rows for good', async () => {
    await importAudience(app, 40, 'r', 'mixed.org');
    ses.script = (to, attempt) => {
      if (to === 'r1@mixed.org') return attempt < 2 ? 'throttle' : 'accept';
      if (to === 'r2@mixed.org') return attempt < 1 ? 'fault' : 'accept';
      if (['r3@mixed.org', 'r4@mixed.org', 'r5@mixed.org'].includes(to)) return 'reject';
      return 'accept';
    };
    const id = await send('mixed.org');
    const report = await waitForCampaign(app, id, ['sent']);
    expect(report.counts).toMatchObject({ total: 40, sent: 37, failed: 3, queued: 0, sending: 0, unknown: 0 });
    for (let i = 0; i < 40; i++) expect(ses.count(`r${i}@mixed.org`), `r${i}`).toBe([3, 4, 5].includes(i) ? 0 : 1);
    expect(ses.attempts.get('r1@mixed.org')).toBe(3);
    expect(ses.attempts.get('r2@mixed.org')).toBe(2);
    expect(report.lastErrors.filter((e: { status: string }) => e.status === 'failed')).toHaveLength(3);
    expect(report.lastErrors[0].error).toMatch(/MessageRejected/);

    // Staff retry the failed rows: SES still rejects them, and nothing else is sent again
    const retry = await (await app.request('POST', `/api/campaigns/${id}/retry-failed`, { json: {} })).json();
    expect(retry.requeued).toBe(3);
    const again = await waitForCampaign(app, id, ['sent']);
    expect(again.counts).toMatchObject({ total: 40, sent: 37, failed: 3 });
    expect(ses.attempts.get('r3@mixed.org')).toBe(2);
    expect(ses.received.filter((m) => m.to.endsWith('@mixed.org'))).toHaveLength(37);
  });

  it('pauses the campaign, with the reason, when SES pauses the account; resuming sends each row once', async () => {
    await importAudience(app, 12, 'p', 'paused.org');
    ses.script = (to) => (to.endsWith('@paused.org') ? 'paused' : 'accept');
    const id = await send('paused.org');
    const paused = await waitForCampaign(app, id, ['paused']);
    expect(paused.stateReason).toMatch(/SendingPausedException/);
    expect(paused.counts.failed).toBe(0);
    expect(paused.counts.queued + paused.counts.sent).toBe(12);

    ses.script = () => 'accept';
    expect((await app.request('POST', `/api/campaigns/${id}/resume`)).status).toBe(200);
    const done = await waitForCampaign(app, id, ['sent']);
    expect(done.counts).toMatchObject({ total: 12, sent: 12 });
    for (let i = 0; i < 12; i++) expect(ses.count(`p${i}@paused.org`)).toBe(1);
  });

  it('waits out a spent daily quota: the batch put off an hour, its rows kept queued, no attempt spent', async () => {
    await importAudience(app, 6, 'q', 'quota.org');
    ses.script = (to) => (to.endsWith('@quota.org') ? 'quota' : 'accept');
    const id = await send('quota.org');
    const deliveries = new Queue<BatchJob>(DELIVERIES_QUEUE, {
      connection: new Redis(app.config.redisUrl, { maxRetriesPerRequest: null }),
      prefix: app.config.queuePrefix,
    });
    try {
      let delayed: Job<BatchJob>[] = [];
      for (let i = 0; i < 200 && delayed.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        delayed = (await deliveries.getDelayed()).filter((job) => job.data.campaignId === id);
      }
      expect(delayed).toHaveLength(1);
      expect(delayed[0]!.attemptsMade).toBe(0);
      expect(delayed[0]!.timestamp + delayed[0]!.delay - Date.now()).toBeGreaterThan(55 * 60_000);
      // A throttled batch would be tried again within a second or two; this one is not.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      for (let i = 0; i < 6; i++) expect(ses.attempts.get(`q${i}@quota.org`)).toBe(1);
      const waiting = (await (await app.request('GET', `/api/campaigns/${id}`)).json()) as {
        state: string;
        counts: Record<string, number>;
      };
      expect(waiting).toMatchObject({ state: 'sending', counts: { total: 6, queued: 6, failed: 0, sent: 0 } });
    } finally {
      expect((await app.request('POST', `/api/campaigns/${id}/cancel`)).status).toBe(200);
      await deliveries.close();
      await deliveries.disconnect();
    }
  });

  it('pauses the campaign after SEND_ERROR_LIMIT errors in a row', async () => {
    await importAudience(app, 8, 'b', 'bad.org');
    ses.script = (to) => (to.endsWith('@bad.org') ? 'reject' : 'accept');
    const id = await send('bad.org');
    const paused = await waitForCampaign(app, id, ['paused']);
    expect(paused.stateReason).toMatch(/send errors in a row/);
    expect(paused.counts.failed).toBeGreaterThanOrEqual(5);
    expect(paused.counts.sent).toBe(0);
  });

  it("reads the account's send rate from SES GetAccount", async () => {
    ses.maxSendRate = 14;
    expect(await new SesSender(sesClient(app.config, ses.url)).maxSendRate()).toBe(14);
  });

  it('refuses to send while the pre-send checks find errors, with the findings', async () => {
    await app.request('PUT', '/api/settings', { json: { postalAddress: '' } });
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, rule: { all: [] } },
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.findings.map((f: { code: string }) => f.code)).toContain('no_postal_address');
    await app.request('PUT', '/api/settings', { json: { postalAddress: '310 8th Street, Oakland, CA' } });
  });
});

describe.each(databaseKinds())(
  'SES answering a fifth of sends with 429 and a twentieth with 500, for a whole campaign, on %s',
  (kind) => {
    const RECIPIENTS = 300;
    let ses: ScriptedSes;
    let app: TestApp;
    const logged: { msg: string; slowdown?: number; batchGapMs?: number }[] = [];

    beforeAll(async () => {
      ses = await new ScriptedSes().start();
      // 400/s: batches of 50, one every 125 ms at full pace
      const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
      app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, logger, env: { SES_MAX_SEND_RATE: '400' } });
    });
    afterAll(async () => {
      await app.close();
      await ses.close();
    });

    it('finishes with every recipient mailed once, the pace slowed by the 429s', async () => {
      // The same answers on every run: a hash of the recipient and the attempt picks them.
      const answers = { throttle: 0, fault: 0 };
      ses.script = (to, attempt) => {
        const draw = createHash('sha256').update(`${to}#${attempt}`).digest().readUInt32BE(0) % 100;
        const answer = draw < 20 ? 'throttle' : draw < 25 ? 'fault' : 'accept';
        if (answer !== 'accept') answers[answer] += 1;
        return answer;
      };
      const bulletinId = await sendableBulletin(app);
      await importAudience(app, RECIPIENTS, 's', 'storm.org');
      const campaign = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'storm.org' } },
        })
      ).json();
      const report = await waitForCampaign(app, campaign.id, ['sent'], 150_000);

      expect(report.counts).toMatchObject({
        total: RECIPIENTS,
        sent: RECIPIENTS,
        failed: 0,
        queued: 0,
        sending: 0,
        unknown: 0,
      });
      for (let i = 0; i < RECIPIENTS; i++) expect(ses.count(`s${i}@storm.org`), `s${i}`).toBe(1);
      // Both kinds of answer came, each refused send was tried again, and nothing more was sent
      expect(answers.throttle).toBeGreaterThan(RECIPIENTS * 0.15);
      expect(answers.fault).toBeGreaterThan(RECIPIENTS * 0.02);
      const attempts = [...ses.attempts].filter(([to]) => to.endsWith('@storm.org')).reduce((sum, [, n]) => sum + n, 0);
      expect(attempts).toBe(RECIPIENTS + answers.throttle + answers.fault);

      // The worker slowed its pace: each throttled batch doubled the gap between batches (125 ms at full pace)
      const slowed = logged.filter((l) => l.msg === 'SES throttled the sends: pace slowed');
      expect(slowed.map((l) => l.slowdown).slice(0, 3)).toEqual([2, 4, 8]);
      expect(slowed.map((l) => l.batchGapMs).slice(0, 3)).toEqual([250, 500, 1000]);
    }, 180_000);
  },
);

describe.each(databaseKinds())('audience changes during a send on %s', (kind) => {
  const RECIPIENTS = 200;
  let ses: ScriptedSes;
  let app: TestApp;
  let signer: SnsSigner;

  beforeAll(async () => {
    signer = new SnsSigner();
    ses = await new ScriptedSes().start();
    ses.delayMs = 20;
    // 20/s: ten batches of 20, one a second, so most are still queued when the changes land
    app = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env: { SES_MAX_SEND_RATE: '20', SNS_TOPIC_ARNS: TEST_TOPIC_ARN },
      fetchCertificate: signer.fetchCertificate,
    });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('are honoured from the next batch: rows not yet claimed are skipped with the reason', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, RECIPIENTS, 'u', 'change.org');
    const subscriberId = async (email: string) =>
      (await (await app.request('GET', `/api/subscribers?email=${email}`)).json()).data[0].id as number;
    const sesEvent = (message: string) =>
      app.request('POST', '/webhooks/ses', {
        token: null,
        body: JSON.stringify(signer.notification(message)),
        headers: { 'content-type': 'text/plain' },
      });
    // The bulletin's topic, offered in the preference centre behind each mail's link
    expect((await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } })).status).toBe(200);
    const preferences = async (email: string, form: string) =>
      fetch(`${app.baseUrl}/preferences/${app.stores.signer.sign('preferences', String(await subscriberId(email)))}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const changes: Record<string, { reason: string; made: () => Promise<Response> }> = {
      'u5@change.org': {
        reason: 'address is suppressed',
        made: () => app.request('POST', '/api/suppressions', { json: { email: 'u5@change.org', reason: 'manual' } }),
      },
      'u120@change.org': {
        reason: 'address is suppressed',
        made: () => app.request('POST', '/api/suppressions', { json: { email: 'u120@change.org', reason: 'manual' } }),
      },
      'u150@change.org': {
        reason: 'subscriber is unsubscribed',
        made: async () =>
          app.request('PATCH', `/api/subscribers/${await subscriberId('u150@change.org')}`, {
            json: { status: 'unsubscribed' },
          }),
      },
      'u170@change.org': {
        reason: 'subscriber is bounced',
        made: () => sesEvent(sesMessage.bounce(['u170@change.org'], 'Permanent', 'an-earlier-message')),
      },
      'u199@change.org': {
        reason: 'subscriber is complained',
        made: () => sesEvent(sesMessage.complaint(['u199@change.org'], 'an-earlier-message')),
      },
      // in the preference centre: one leaves the bulletin's topic (and no other), one pauses their mail
      'u160@change.org': {
        reason: "subscriber left the bulletin's topic",
        made: () => preferences('u160@change.org', 'language=en&pause=keep'),
      },
      'u180@change.org': {
        reason: 'subscriber paused their mail',
        made: () => preferences('u180@change.org', 'topics=weekly-bulletin&language=en&pause=30'),
      },
    };

    const statuses = async (emails: string[]) => {
      const rows = await app.db.database.db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['subscribers.email', 'deliveries.status'])
        .where('subscribers.email', 'in', emails)
        .execute();
      return new Map(rows.map((r) => [r.email, r.status]));
    };

    // The changes are made once SES has accepted the 40th mail; then, the moment they have all
    // landed, the ledger says which of those people's rows were not yet claimed by a batch.
    let landed!: Promise<{ answers: number[]; atLanding: Map<string, string> }>;
    ses.onAccept = (accepted) => {
      if (accepted !== 40) return;
      landed = (async () => {
        const answers = await Promise.all(Object.values(changes).map(async ({ made }) => (await made()).status));
        return { answers, atLanding: await statuses(Object.keys(changes)) };
      })();
      landed.catch(() => {}); // awaited below, after the campaign
    };
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'change.org' } },
      })
    ).json();
    const report = await waitForCampaign(app, campaign.id, ['sent'], 60_000);
    const { answers, atLanding } = await landed;
    expect(answers).toEqual([201, 201, 200, 200, 200, 200, 200]);

    // u5's batch had gone before the changes; the others' batches had not begun
    expect(atLanding.get('u5@change.org')).toBe('sent');
    const notClaimed = [...atLanding].filter(([, status]) => status === 'queued').map(([email]) => email);
    expect(notClaimed.sort()).toEqual([
      'u120@change.org',
      'u150@change.org',
      'u160@change.org',
      'u170@change.org',
      'u180@change.org',
      'u199@change.org',
    ]);

    const ledger = await app.db.database.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['subscribers.email', 'deliveries.status', 'deliveries.last_error'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    for (const row of ledger) {
      if (notClaimed.includes(row.email)) {
        expect(row, row.email).toEqual({ email: row.email, status: 'skipped', last_error: changes[row.email]!.reason });
        expect(ses.count(row.email), row.email).toBe(0);
      } else {
        expect(row.status, row.email).toBe('sent');
        expect(ses.count(row.email), row.email).toBe(1);
      }
    }
    expect(report.counts).toMatchObject({
      total: RECIPIENTS,
      sent: RECIPIENTS - notClaimed.length,
      skipped: notClaimed.length,
      unknown: 0,
    });
  }, 90_000);
});
