// Worker processes killed with SIGKILL in the middle of a 5,000-recipient campaign, three times,
// a new one started each time: the campaign finishes, nobody gets two mails, and every recipient
// either got exactly one or is marked `unknown` (no more than the sends in flight at the kills).
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestApp, TEST_PUBLIC_URL, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const RECIPIENTS = 5000;

describe.each(databaseKinds())('a worker killed mid-campaign on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let worker: ChildProcess | undefined;

  const startWorker = () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: app.db.url,
        REDIS_URL,
        QUEUE_PREFIX: app.config.queuePrefix,
        SES_ENDPOINT: ses.url,
        // Fast enough that 5,000 mails take seconds: the kills, not the pace, are under test.
        SES_MAX_SEND_RATE: '1000',
        APP_SECRET: TEST_SECRET,
        PUBLIC_URL: TEST_PUBLIC_URL,
        DATA_DIR: tmpdir(),
        LOG_LEVEL: 'warn',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  };
  const kill = async () => {
    const dead = new Promise((resolve) => worker!.once('exit', resolve));
    process.kill(-worker!.pid!, 'SIGKILL');
    await dead;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    ses.delayMs = 30; // so that sends are in flight when the worker dies
    app = await startTestApp(kind, { sesEndpoint: ses.url });
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) await kill();
    await app.close();
    await ses.close();
  });

  it('finishes the campaign with no one mailed twice and `unknown` no more than the sends in flight', async () => {
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, RECIPIENTS, 'k', 'crash.org');
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'crash.org' } },
      })
    ).json();
    const ledger = app.db.database.db;
    let inFlightAtKills = 0;

    // The kill comes the moment SES has accepted the 1,000th (2,500th, 4,000th) mail and before
    // the worker hears so: the worst moment, when rows are in flight.
    const thresholds = [1000, 2500, 4000];
    let killed: () => void = () => {};
    ses.onAccept = (accepted) => {
      if (!thresholds.includes(accepted)) return;
      process.kill(-worker!.pid!, 'SIGKILL');
      killed();
    };
    startWorker();
    for (let i = 0; i < thresholds.length; i++) {
      await new Promise<void>((resolve) => (killed = resolve));
      await new Promise((resolve) =>
        worker!.exitCode !== null || worker!.signalCode !== null ? resolve(null) : worker!.once('exit', resolve),
      );
      const sending = await ledger
        .selectFrom('deliveries')
        .select(ledger.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'sending')
        .executeTakeFirstOrThrow();
      inFlightAtKills += Number(sending.n);
      startWorker();
    }
    const report = await waitForCampaign(app, campaign.id, ['sent'], 180_000);

    const rows = await ledger
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['subscribers.email', 'deliveries.status', 'deliveries.message_id'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(rows).toHaveLength(RECIPIENTS);
    const unknown = rows.filter((r) => r.status === 'unknown');
    for (const row of rows) {
      const received = ses.count(row.email);
      expect(received, row.email).toBeLessThanOrEqual(1);
      if (row.status === 'sent') expect(received, row.email).toBe(1);
      else expect(row.status, row.email).toBe('unknown');
    }
    expect(inFlightAtKills).toBeGreaterThan(0); // the kills did land in the middle of sends
    expect(report.counts.unknown).toBe(unknown.length);
    expect(unknown.length).toBeLessThanOrEqual(inFlightAtKills);
    // What the server received matches the ledger's message ids for every sent row
    const sentIds = new Set(rows.filter((r) => r.status === 'sent').map((r) => r.message_id));
    for (const id of sentIds) expect(ses.received.some((m) => m.messageId === id)).toBe(true);
    ses.onAccept = () => {};
    await kill();
  }, 240_000);

  it('stops on SIGTERM only after its batches in flight are settled: no row unknown', async () => {
    const bulletinId = (await (await app.request('GET', '/api/bulletins')).json()).data[0].id;
    await importAudience(app, 200, 't', 'term.org');
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'term.org' } },
      })
    ).json();
    let stopped!: () => void;
    const stopping = new Promise<void>((resolve) => (stopped = resolve));
    ses.onAccept = () => {
      if (ses.received.filter((m) => m.to.endsWith('@term.org')).length === 60) {
        process.kill(worker!.pid!, 'SIGTERM');
        stopped();
      }
    };
    startWorker();
    await stopping;
    const code = await new Promise((resolve) =>
      worker!.exitCode !== null ? resolve(worker!.exitCode) : worker!.once('exit', resolve),
    );
    expect(code).toBe(0);
    const ledger = app.db.database.db;
    const open = await ledger
      .selectFrom('deliveries')
      .select('status')
      .where('campaign_id', '=', campaign.id)
      .where('status', '=', 'sending')
      .execute();
    expect(open).toEqual([]);

    ses.onAccept = () => {};
    startWorker();
    const report = await waitForCampaign(app, campaign.id, ['sent'], 120_000);
    expect(report.counts).toMatchObject({ total: 200, sent: 200, unknown: 0 });
    for (let i = 0; i < 200; i++) expect(ses.count(`t${i}@term.org`)).toBe(1);
  }, 180_000);
});
