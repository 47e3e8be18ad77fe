// Redis killed (SIGKILL) in the middle of a campaign and started again on the same port and data
// directory, as a production Redis for BullMQ runs: with an append-only file synced on every
// write. The worker (its own process) and the web app ride out the gap, and the campaign ends
// with every recipient mailed exactly once and exact counts. The test runs a Redis of its own,
// never the shared one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const RECIPIENTS = 1500;
/** A second campaign, sent by staff while Redis is away. */
const LATE_RECIPIENTS = 200;
const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

/** A redis-server of the test's own, on a free loopback port, with its AOF in a temporary directory. */
class OwnRedis {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'pregon-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  /** SIGKILL: no shutdown, no last save; only what the AOF already holds survives. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!HAS_REDIS_SERVER).each(databaseKinds())(
  'Redis restarted mid-campaign on %s (needs redis-server on PATH)',
  (kind) => {
    let redis: OwnRedis;
    let ses: ScriptedSes;
    let app: TestApp;
    let worker: WorkerProcess | undefined;

    beforeAll(async () => {
      redis = new OwnRedis();
      await redis.start();
      ses = await new ScriptedSes().start();
      ses.delayMs = 20; // so that sends are in flight when Redis dies
      // REDIS_URL for the app's queues, redisUrl for its health check: both on this Redis
      app = await startTestApp(kind, { sesEndpoint: ses.url, redisUrl: redis.url, env: { REDIS_URL: redis.url } });
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
      // A send asked for now waits for Redis to queue its start (the campaign row is already written)
      let lateAnswered = false;
      const lateSend = app
        .request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'late.org' } },
        })
        .finally(() => (lateAnswered = true));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(worker.running, worker.output).toBe(true);
      expect(lateAnswered).toBe(false);

      await redis.start();
      const late = await lateSend;
      expect(late.status).toBe(201);
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
      const lateReport = await waitForCampaign(app, (await late.json()).id, ['sent'], 60_000);
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
