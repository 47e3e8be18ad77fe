// Faults from SES, injected by a scripted SES-compatible server: throttling and faults are
// retried and sent once, rejections fail their row, a paused account pauses the campaign, and
// too many errors in a row pause it too; a campaign-long storm of 429s and 500s slows the pace
// and still ends with every mail sent once. Counts stay exact.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { SesSender, sesClient } from '../../src/sending/ses-sender.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('SES faults on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;
  const send = async (domain: string) => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: domain } } });
    expect(res.status).toBe(201);
    return (await res.json()).id as number;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '100', SEND_ERROR_LIMIT: '5' } });
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

  it('pauses the campaign after SEND_ERROR_LIMIT errors in a row', async () => {
    await importAudience(app, 8, 'b', 'bad.org');
    ses.script = (to) => (to.endsWith('@bad.org') ? 'reject' : 'accept');
    const id = await send('bad.org');
    const paused = await waitForCampaign(app, id, ['paused']);
    expect(paused.stateReason).toMatch(/send errors in a row/);
    expect(paused.counts.failed).toBeGreaterThanOrEqual(5);
    expect(paused.counts.sent).toBe(0);
  });

  it('reads the account\'s send rate from SES GetAccount', async () => {
    ses.maxSendRate = 14;
    expect(await new SesSender(sesClient(app.config, ses.url)).maxSendRate()).toBe(14);
  });

  it('refuses to send while the pre-send checks find errors, with the findings', async () => {
    await app.request('PUT', '/api/settings', { json: { postalAddress: '' } });
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { all: [] } } });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.findings.map((f: { code: string }) => f.code)).toContain('no_postal_address');
    await app.request('PUT', '/api/settings', { json: { postalAddress: '310 8th Street, Oakland, CA' } });
  });
});

describe.each(databaseKinds())('SES answering 20%% 429 and 5%% 500 for a whole campaign on %s', (kind) => {
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
    const campaign = await (await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'storm.org' } } })).json();
    const report = await waitForCampaign(app, campaign.id, ['sent'], 150_000);

    expect(report.counts).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS, failed: 0, queued: 0, sending: 0, unknown: 0 });
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
});

describe.each(databaseKinds())('an unsubscribe during a send on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    ses.delayMs = 20;
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '20' } });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('stops that person\'s mail before their batch runs', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, 200, 'u', 'unsub.org');
    const leaving = (await (await app.request('GET', '/api/subscribers?email=u150@unsub.org')).json()).data[0];
    let unsubscribed!: Promise<Response>;
    ses.onAccept = (accepted) => {
      if (accepted === 40) unsubscribed = app.request('PATCH', `/api/subscribers/${leaving.id}`, { json: { status: 'unsubscribed' } });
    };
    const campaign = await (await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'unsub.org' } } })).json();
    const report = await waitForCampaign(app, campaign.id, ['sent']);
    expect((await unsubscribed).status).toBe(200);
    expect(ses.count('u150@unsub.org')).toBe(0);
    expect(report.counts).toMatchObject({ total: 200, sent: 199, skipped: 1 });
    const row = await app.db.database.db.selectFrom('deliveries').select(['status', 'last_error']).where('subscriber_id', '=', leaving.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'skipped', last_error: 'subscriber is unsubscribed' });
  });
});
