// Erasing subscribers while their campaign is sending: nobody erased gets mail after the erase
// has answered, and afterwards neither the database nor the queues hold their addresses, even
// where SES quoted an address in a refusal.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';
import { CAMPAIGNS_QUEUE, DELIVERIES_QUEUE } from '../../src/sending/send-queues.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 100;

describe.each(databaseKinds())('erasing subscribers during a send on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    ses.delayMs = 20;
    // 20/s: five batches of 20, one a second, so the later ones are still queued when the erases land
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '20' } });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('sends them nothing after the erase, and leaves no address in the ledger, campaign or queues', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, RECIPIENTS, 'e', 'erase.org');
    // SES quotes the recipient in its refusals, as its own do for an unverified or blacklisted address.
    ses.errorMessage = (to) => `Address blacklisted: ${to}`;
    ses.script = (to, attempt) => {
      if (to === 'e3@erase.org') return 'reject';
      if (to === 'e7@erase.org' && attempt === 0) return 'throttle';
      return 'accept';
    };
    // e3 rejected, e5 sent, e7 throttled then sent (batch 1); e25 in batch 2; e60 and e80 not yet claimed.
    const erased = ['e3@erase.org', 'e5@erase.org', 'e7@erase.org', 'e25@erase.org', 'e60@erase.org', 'e80@erase.org'];
    const ids = new Map<string, number>();
    for (const email of erased) {
      const found = await (await app.request('GET', `/api/subscribers?email=${email}`)).json();
      ids.set(email, found.data[0].id);
    }
    const db = app.db.database.db;

    // The erases are made once SES has accepted the 30th mail (batch 2 under way); each erase's
    // answer is noted with how many mails SES had accepted by then.
    let landed!: Promise<{ email: string; status: number; mailsBefore: number; row: number; rowStatus: string }[]>;
    ses.onAccept = (accepted) => {
      if (accepted !== 30) return;
      landed = (async () => {
        const rows = await db
          .selectFrom('deliveries')
          .select(['id', 'subscriber_id', 'status'])
          .where('subscriber_id', 'in', [...ids.values()])
          .execute();
        const results = [];
        for (const email of erased) {
          const row = rows.find((r) => r.subscriber_id === ids.get(email))!;
          const status = (await app.request('DELETE', `/api/subscribers/${ids.get(email)}`)).status;
          results.push({ email, status, mailsBefore: ses.received.length, row: row.id, rowStatus: row.status });
        }
        return results;
      })();
      landed.catch(() => {}); // awaited below, after the campaign
    };
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'erase.org' } },
      })
    ).json();
    const report = await waitForCampaign(app, campaign.id, ['sent'], 60_000);
    const erases = await landed;
    expect(erases.map((e) => e.status)).toEqual(erased.map(() => 204));

    // Nobody erased got a mail after their erase answered, but for one whose send was already in
    // flight (e25, most likely), who got at most the one; those not yet claimed got none at all.
    for (const { email, mailsBefore, rowStatus } of erases) {
      if (rowStatus === 'sending') expect(ses.count(email), email).toBeLessThanOrEqual(1);
      else
        expect(
          ses.received.slice(mailsBefore).filter((m) => m.to === email),
          email,
        ).toEqual([]);
    }
    // Rows not yet claimed when their erase landed (e60, e80, and e7 when its batch was waiting to
    // be retried) are skipped; the others keep what SES said.
    const notClaimed = erases.filter((e) => e.rowStatus === 'queued').map((e) => e.email);
    expect(notClaimed).toEqual(expect.arrayContaining(['e60@erase.org', 'e80@erase.org']));
    for (const email of notClaimed) expect(ses.count(email), email).toBe(0);
    expect(ses.count('e5@erase.org')).toBe(1);
    expect(ses.count('e3@erase.org')).toBe(0);

    // Their rows stay, with no subscriber, so the counts stay true.
    const rows = await db
      .selectFrom('deliveries')
      .select(['id', 'subscriber_id', 'status', 'last_error'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(rows).toHaveLength(RECIPIENTS);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { email, row } of erases) expect(byId.get(row)!.subscriber_id, email).toBeNull();
    const rowOf = (email: string) => byId.get(erases.find((e) => e.email === email)!.row)!;
    for (const email of notClaimed)
      expect(rowOf(email), email).toMatchObject({ status: 'skipped', last_error: 'subscriber was erased' });
    expect(rowOf('e3@erase.org')).toMatchObject({
      status: 'failed',
      last_error: 'MessageRejected: Address blacklisted: [address]',
    });
    expect(report.counts).toMatchObject({
      total: RECIPIENTS,
      failed: 1,
      skipped: notClaimed.length,
      sent: RECIPIENTS - 1 - notClaimed.length,
    });

    // No table holds an erased address, nor do the queues' jobs (data, errors, stack traces).
    const stored = JSON.stringify(await databaseSnapshot(app.db)).toLowerCase();
    expect(erased.filter((email) => stored.includes(email))).toEqual([]);
    const connection = new Redis(app.config.redisUrl, { maxRetriesPerRequest: null });
    try {
      let queued = '';
      for (const name of [CAMPAIGNS_QUEUE, DELIVERIES_QUEUE]) {
        const queue = new Queue(name, { connection, prefix: app.config.queuePrefix });
        const jobs = await queue.getJobs(['completed', 'failed', 'delayed', 'wait', 'active']);
        queued += JSON.stringify(jobs.map((job) => [job.data, job.failedReason, job.stacktrace]));
        await queue.close();
      }
      // The throttled batch was retried, so its job holds the refusal's message.
      expect(queued).toContain('TooManyRequestsException: Address blacklisted: [address]');
      expect(erased.filter((email) => queued.toLowerCase().includes(email))).toEqual([]);
    } finally {
      connection.disconnect();
    }
  }, 90_000);
});
