// What the worker process writes to its log (`npm run worker`, at LOG_LEVEL=trace) while SES
// refuses, throttles, fails and pauses sends with messages that quote the recipient: no address,
// signed link or APP_SECRET. The web process's logs are checked in access.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 30;

describe.each(databaseKinds())('what the worker logs on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let worker: WorkerProcess;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url });
    worker = new WorkerProcess(app, { sesEndpoint: ses.url, env: { LOG_LEVEL: 'trace', SES_MAX_SEND_RATE: '10' } });
  });
  afterAll(async () => {
    await worker?.stop();
    await app.close();
    await ses.close();
  });

  it('never holds an address, a signed link or APP_SECRET, even when SES quotes the address', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, RECIPIENTS, 'w', 'logs.example');
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `w${i}@logs.example`);
    ses.errorMessage = (to, type) => `${type} for ${to}: Address blacklisted (${to})`;
    let pausing = false;
    ses.script = (to, attempt) => {
      if (pausing) return 'paused';
      if (to === 'w1@logs.example') return 'reject';
      if (to === 'w2@logs.example' && attempt === 0) return 'throttle';
      if (to === 'w3@logs.example' && attempt === 0) return 'fault';
      return 'accept';
    };
    const send = async () => {
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'logs.example' } },
      });
      return (await res.json()).id as number;
    };
    await worker.waitFor(/worker started/);
    const first = await waitForCampaign(app, await send(), ['sent']);
    expect(first.counts).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS - 1, failed: 1 });

    // A second send SES pauses: the campaign pauses with the reason, and resumes.
    pausing = true;
    const second = await send();
    const paused = await waitForCampaign(app, second, ['paused']);
    expect(paused.stateReason).toBe(
      'SES: SendingPausedException: SendingPausedException for [address]: ' + 'Address blacklisted ([address])',
    );
    pausing = false;
    await app.request('POST', `/api/campaigns/${second}/resume`);
    await waitForCampaign(app, second, ['sent']);
    await worker.stop();

    const text = worker.output;
    // The log saw all of it, so its silence about the rest means something.
    for (const seen of [
      'worker started',
      'campaign prepared',
      'SES throttled the sends: pace slowed',
      'SES will not send for the account: campaign paused',
      'stopping: finishing the batches in flight',
    ])
      expect(text, seen).toContain(seen);
    expect(addresses.filter((email) => text.toLowerCase().includes(email))).toEqual([]);
    // Every signed link the mail carried (unsubscribe, preferences, archive), and the secret that signs them.
    const tokens = ses.received
      .flatMap((m) => [...m.html.matchAll(/\/(?:unsubscribe|preferences)\/([\w.-]+)/g)])
      .map((match) => match[1]!);
    expect(tokens.length).toBeGreaterThan(RECIPIENTS);
    expect(tokens.filter((token) => text.includes(token))).toEqual([]);
    expect(text).not.toContain(TEST_SECRET);
  }, 120_000);
});
