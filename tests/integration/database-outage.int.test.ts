// The database unavailable for a few seconds in the middle of a campaign, from the moment SES
// has accepted a mail and before the worker records it: PostgreSQL gone as in a restart (through
// a proxy of our own: open connections reset, a query in flight among them, new ones refused),
// or SQLite's write lock held by another connection for longer than the busy timeout. The worker
// lives through it, the work resumes, every recipient gets exactly one mail (none is left
// `unknown`: the worker knows what SES took and records it once it can), and the counts are exact.
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { POSTGRES_URL } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { ScriptedSes } from '../support/scripted-ses.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const RECIPIENTS = 600;
/** The mail whose acceptance takes the database away: a third of the way in. */
const OUTAGE_AT = 200;
/** 50 mails a second in batches of 50: the campaign lasts about 12 s without the outage. */
const SEND_RATE = '50';

let ses: ScriptedSes;
let app: TestApp;
let worker: WorkerProcess;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await worker?.stop('SIGKILL');
  await app?.close();
  await ses?.close();
  await proxy?.close();
});

/** Starts a campaign to RECIPIENTS people at `domain`; `outage` begins when SES accepts mail OUTAGE_AT. */
async function sendWithOutage(
  domain: string,
  outage: () => Promise<void>,
): Promise<{ campaignId: number; outageBegan: Promise<void> }> {
  const bulletinId = await sendableBulletin(app);
  await importAudience(app, RECIPIENTS, 'o', domain);
  const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
    json: { resend: true, rule: { emailDomain: domain } },
  });
  expect(res.status).toBe(201);
  let began!: () => void;
  const outageBegan = new Promise<void>((resolve) => (began = resolve));
  ses.onAccept = (accepted) => {
    if (accepted === OUTAGE_AT) void outage().then(began);
  };
  return { campaignId: (await res.json()).id, outageBegan };
}

/** The campaign finished with every row sent, each recipient mailed once, under the id the ledger holds. */
async function expectEveryoneMailedOnce(campaignId: number, domain: string): Promise<void> {
  const report = await waitForCampaign(app, campaignId, ['sent', 'failed', 'paused'], 120_000);
  expect(report.state, worker.output).toBe('sent');
  expect(report.counts).toMatchObject({
    total: RECIPIENTS,
    sent: RECIPIENTS,
    queued: 0,
    sending: 0,
    unknown: 0,
    failed: 0,
    skipped: 0,
  });
  for (let i = 0; i < RECIPIENTS; i++) expect(ses.count(`o${i}@${domain}`), `o${i}@${domain}`).toBe(1);
  const ledger = app.db.database.db;
  const rows = await ledger
    .selectFrom('deliveries')
    .select('message_id')
    .where('campaign_id', '=', campaignId)
    .execute();
  const accepted = new Set(ses.received.map((m) => m.messageId));
  expect(rows.filter((r) => r.message_id !== null && accepted.has(r.message_id))).toHaveLength(RECIPIENTS);
}

async function openRows(campaignId: number): Promise<number> {
  const ledger = app.db.database.db;
  const row = await ledger
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'sending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A proxy of our own in front of the test PostgreSQL, to cut and restore its connections. */
function proxyToPostgres(): Promise<TcpProxy> {
  const server = new URL(POSTGRES_URL!);
  return new TcpProxy(server.hostname, Number(server.port || 5432)).start();
}

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.baseUrl}/healthz`);
  return { status: res.status, body: await res.json() };
}

describe.skipIf(!POSTGRES_URL)('PostgreSQL gone for a few seconds, as in a restart', () => {
  const CUT_MS = 4000;

  it('the worker lives, the campaign ends with each recipient mailed once, /healthz says 503 meanwhile', async () => {
    proxy = await proxyToPostgres();
    ses = await new ScriptedSes().start();
    ses.delayMs = 20; // so that a batch is in flight at the cut
    app = await startTestApp('postgres', { sesEndpoint: ses.url, databaseVia: (url) => proxy!.via(url) });
    const { campaignId, outageBegan } = await sendWithOutage('pg-outage.org', () => proxy!.cutAtNextRequest());
    worker = new WorkerProcess(app, {
      sesEndpoint: ses.url,
      databaseUrl: proxy.via(app.db.url),
      env: { SES_MAX_SEND_RATE: SEND_RATE },
    });

    await outageBegan;
    const cutAt = Date.now();
    // The ledger, read directly: the batch SES was answering when the database went is still open.
    expect(await openRows(campaignId)).toBeGreaterThan(0);
    const down = await health();
    expect(down).toMatchObject({ status: 503, body: { db: 'unreachable', failing: ['db'] } });
    await new Promise((resolve) => setTimeout(resolve, CUT_MS - (Date.now() - cutAt)));
    expect(worker.output).toMatch(/ECONNREFUSED/);
    expect(worker.running, worker.output).toBe(true);
    await proxy.restore();
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', db: 'postgres' } });

    await expectEveryoneMailedOnce(campaignId, 'pg-outage.org');
    expect(worker.running, worker.output).toBe(true);
  }, 150_000);
});

describe.skipIf(!POSTGRES_URL)('PostgreSQL gone while a campaign is prepared', () => {
  const CUT_MS = 10_000;

  it('the start is tried again until the database is back, and the campaign sends', async () => {
    proxy = await proxyToPostgres();
    ses = await new ScriptedSes().start();
    app = await startTestApp('postgres', { sesEndpoint: ses.url }); // the app reaches the database directly
    const bulletinId = await sendableBulletin(app);
    await importAudience(app, 100, 'p', 'prepare-outage.org');
    worker = new WorkerProcess(app, {
      sesEndpoint: ses.url,
      databaseUrl: proxy.via(app.db.url),
      env: { SES_MAX_SEND_RATE: SEND_RATE, LOG_LEVEL: 'info' },
    });
    await worker.waitFor(/worker started/);

    proxy.cut();
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, rule: { emailDomain: 'prepare-outage.org' } },
    });
    expect(res.status).toBe(201);
    const campaignId: number = (await res.json()).id;
    await new Promise((resolve) => setTimeout(resolve, CUT_MS));
    expect(worker.running, worker.output).toBe(true);
    await proxy.restore();

    const report = await waitForCampaign(app, campaignId, ['sent', 'failed'], 60_000);
    expect(report.state, report.stateReason).toBe('sent');
    expect(report.counts).toMatchObject({ total: 100, sent: 100, unknown: 0 });
    for (let i = 0; i < 100; i++) expect(ses.count(`p${i}@prepare-outage.org`)).toBe(1);
  }, 100_000);
});

describe('SQLite write-locked by another connection for longer than the busy timeout', () => {
  const HOLD_MS = 7000; // the busy timeout is 5 s

  it('the worker lives and the campaign finishes with each recipient mailed once', async () => {
    ses = await new ScriptedSes().start();
    ses.delayMs = 20;
    app = await startTestApp('sqlite', { sesEndpoint: ses.url });
    const path = app.db.config.kind === 'sqlite' ? app.db.config.path : '';
    let release!: Promise<void>;
    const { campaignId, outageBegan } = await sendWithOutage('sqlite-outage.org', async () => {
      const holder = new BetterSqlite3(path);
      holder.exec('BEGIN EXCLUSIVE');
      release = new Promise((resolve) =>
        setTimeout(() => {
          holder.exec('COMMIT');
          holder.close();
          resolve();
        }, HOLD_MS),
      );
    });
    worker = new WorkerProcess(app, { sesEndpoint: ses.url, env: { SES_MAX_SEND_RATE: SEND_RATE } });

    await outageBegan;
    // Reads go on under the lock: the ledger shows the batch SES was answering, and /healthz stays 200.
    expect(await openRows(campaignId)).toBeGreaterThan(0);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', db: 'sqlite' } });
    await release;
    expect(worker.output).toMatch(/database is locked/); // the worker waited out its busy timeout and was refused
    expect(worker.running, worker.output).toBe(true);
    await expectEveryoneMailedOnce(campaignId, 'sqlite-outage.org');
    expect(worker.running, worker.output).toBe(true);
  }, 150_000);
});
