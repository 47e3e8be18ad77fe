// Pregón on a Redis Cluster of the test's own (three masters): a campaign sent through it by two
// workers (one in the app's process, one as `npm run worker`) reaches everyone exactly once, and
// Pregón's own keys (rate limits, the test copies' allowance, presence, click counts, the
// confirmation limits, the sweep's lock) work there, all in the prefix's one slot. A prefix without
// a hash tag fails on a cluster with CROSSSLOT, which is why REDIS_CLUSTER requires one.
import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  bullConnection,
  checkRedis,
  commandClient,
  type RedisClient,
  RedisUnreachableError,
  rateLimitStore,
} from '../../src/redis.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { SendQueues } from '../../src/sending/send-queues.js';
import { REDIS_URL, startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, insertCampaign, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { clusterToolsMissing, OwnRedisCluster } from '../support/own-redis-cluster.js';

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string };
}

const SEND_TIMEOUT = 120_000;
const AUDIENCE = 300; // six batches of 50 at the default rate

let cluster: OwnRedisCluster;
beforeAll(async () => {
  // Not skipped when the tools are missing: CI installs them, and a skip would hide the gap.
  const missing = clusterToolsMissing();
  if (missing) throw new Error(missing);
  cluster = new OwnRedisCluster();
  await cluster.start();
}, 60_000);
afterAll(() => cluster?.close());

describe('a Redis Cluster', () => {
  it('takes a queue under a hash-tagged prefix; one without fails with CROSSSLOT, and is refused', async () => {
    const connection = bullConnection(cluster.url, true);
    const untagged = new SendQueues(connection, `test-${randomUUID()}`, 5000);
    const tagged = new SendQueues(connection, `{test-${randomUUID()}}`, 5000);
    try {
      // This is what the test guards against: were the prefix not hash-tagged, every send below would fail so.
      await expect(untagged.campaigns.add('start', { campaignId: 1 })).rejects.toThrow(/CROSSSLOT/);
      expect((await tagged.campaigns.add('start', { campaignId: 1 })).id).toBeDefined();
      await tagged.campaigns.obliterate({ force: true });
    } finally {
      await Promise.all([untagged.close(), tagged.close()]);
      connection.disconnect();
    }

    const env = { APP_SECRET: 'x'.repeat(32), REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' };
    expect(() => loadConfig({ ...env, QUEUE_PREFIX: 'pregon' })).toThrow(/QUEUE_PREFIX: must hold a hash tag/);
    expect(loadConfig(env).queuePrefix).toBe('{pregon}');
  });

  it("loads the rate limits' scripts on every master, so that a counter on any node finds them", async () => {
    const redis = commandClient(cluster.url, true) as Cluster;
    try {
      const store = rateLimitStore(redis, `{test-${randomUUID()}}:rate-limit:`);
      await store.init({ windowMs: 60_000 } as Parameters<typeof store.init>[0]);
      const shas = await Promise.all([store.incrementScriptSha, store.getScriptSha]);
      for (const node of redis.nodes('master')) expect(await node.script('EXISTS', ...shas)).toEqual([1, 1]);
      // SCRIPT LOAD through the cluster client alone reaches one node: EVALSHA elsewhere fails with NOSCRIPT.
      const sha = (await redis.call('SCRIPT', 'LOAD', `return '${randomUUID()}'`)) as string;
      const loaded = await Promise.all(redis.nodes('master').map((node) => node.script('EXISTS', sha)));
      expect(loaded.flat().sort()).toEqual([0, 0, 1]);
    } finally {
      redis.disconnect();
    }
  });

  it('passes the startup check in cluster mode, and says which setting is wrong otherwise', async () => {
    await checkRedis(cluster.url, true);
    // One node listed is enough: the client learns the others from it.
    await checkRedis(cluster.url.split(',')[1]!, true);
    await checkRedis(`redis://127.0.0.1:1,${cluster.url}`, true); // the next node answers for one away
    await expect(checkRedis('redis://127.0.0.1:1,redis://127.0.0.1:2', true)).rejects.toThrow(RedisUnreachableError);
    await expect(checkRedis(cluster.url.split(',')[0]!)).rejects.toThrow(/set REDIS_CLUSTER=true/);
    await expect(checkRedis(REDIS_URL, true)).rejects.toThrow(ConfigError);
    await expect(checkRedis(REDIS_URL, true)).rejects.toThrow(/is not a node of a Redis Cluster/);
  });
});

describe.each(databaseKinds())('Pregón on a Redis Cluster, on %s', (kind) => {
  const domain = `cluster-${kind}.example.org`;
  const logged: { level: number; msg: string }[] = [];
  let ses: SesEmulator;
  let app: TestApp;
  let worker: WorkerProcess;
  let redis: RedisClient;
  let bulletinId: number;
  const inbox = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    const env = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: `{test-${randomUUID()}}` };
    app = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env,
      signInLimits: { failuresPerIp: 3 },
      logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    });
    worker = new WorkerProcess(app, { sesEndpoint: ses.url, env: { ...env, LOG_LEVEL: 'info' } });
    await worker.waitFor(/worker started/);
    redis = commandClient(cluster.url, true);
    bulletinId = await sendableBulletin(app);
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    if (worker?.running) await worker.stop('SIGKILL');
    await app?.close();
    await ses?.close();
  });

  it(
    'sends a campaign of several batches through two workers: one mail to each person, none twice',
    async () => {
      await importAudience(app, AUDIENCE, 'person', domain);
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: domain } },
      });
      expect(res.status).toBe(201);
      const campaign = await res.json();
      const report = await waitForCampaign(app, campaign.id, ['sent']);
      expect(report.counts).toMatchObject({ sent: AUDIENCE, total: AUDIENCE, queued: 0, failed: 0, unknown: 0 });

      const ledger = await app.db.database.db
        .selectFrom('deliveries')
        .select(['subscriber_id', 'status', 'message_id'])
        .where('campaign_id', '=', campaign.id)
        .execute();
      expect(ledger).toHaveLength(AUDIENCE);
      expect(new Set(ledger.map((row) => row.subscriber_id)).size).toBe(AUDIENCE);
      expect(ledger.every((row) => row.status === 'sent')).toBe(true);

      const mails = (await inbox()).filter((mail) => mail.destination.to[0]!.endsWith(`@${domain}`));
      expect(mails).toHaveLength(AUDIENCE);
      expect(new Set(mails.map((mail) => mail.destination.to[0])).size).toBe(AUDIENCE);
      expect(new Set(mails.map((mail) => mail.messageId))).toEqual(new Set(ledger.map((row) => row.message_id)));
    },
    SEND_TIMEOUT,
  );

  it('keeps the health check, the rate limits, presence, test copies and click counts in the cluster', async () => {
    expect(await (await fetch(`${app.baseUrl}/healthz`)).json()).toMatchObject({ status: 'ok', redis: 'ok' });

    // Presence: a Lua script on the bulletin's hash. With Redis failing, nobody would be shown.
    await app.request('PUT', `/api/bulletins/${bulletinId}/presence`, { json: { editing: true } });
    const seen = await app.request('PUT', `/api/bulletins/${bulletinId}/presence`, {
      token: app.editorToken,
      json: { editing: false },
    });
    expect((await seen.json()).data).toEqual([expect.objectContaining({ kind: 'token', name: 'admin' })]);
    // Under the prefix (the last test finds its slot), though gone 30 s after the last heartbeat.
    expect(await redis.hlen(`${app.config.queuePrefix}:presence:${bulletinId}`)).toBe(2);

    // The test copies' hourly allowance: a MULTI on one key (a failing Redis would answer 500).
    const copies = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['editor@nnirr.org'], lang: 'en' },
    });
    expect(copies.status).toBe(200);
    expect(await redis.get(`${app.config.queuePrefix}:test-copies`)).toBe('1');

    // Click counts: one per client and window. With Redis failing, every click would count.
    const campaignId = await insertCampaign(app.db, await app.stores.bulletins.create(exampleBulletin()));
    const [linkId] = (
      await app.stores.campaignLinks.register(campaignId, [{ block: 0, url: 'https://example.net/petition' }])
    ).values();
    const follow = (client: string) =>
      fetch(`${app.baseUrl}/c/${app.stores.signer.sign('click', String(linkId))}`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': client },
      });
    for (const client of ['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.8'])
      expect((await follow(client)).status).toBe(302);
    const { clicks } = await app.db.database.db
      .selectFrom('campaign_links')
      .select('clicks')
      .where('id', '=', linkId!)
      .executeTakeFirstOrThrow();
    expect(clicks).toBe(2);

    // Failed sign-ins: express-rate-limit's scripts, loaded on every master, run where the key is.
    const signIn = () =>
      app.request('POST', '/api/session', { token: null, json: { email: 'nobody@example.org', password: 'wrong' } });
    for (let i = 0; i < 3; i++) expect((await signIn()).status).toBe(401);
    expect((await signIn()).status).toBe(429);
  }, 90_000);

  it('subscribes through the form: its rate limit and the confirmation limits count in the cluster', async () => {
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
    const email = `new-${kind}@example.net`;
    const res = await fetch(`${app.baseUrl}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(email)}&name=Ana&language=en`,
    });
    expect(res.status).toBe(200);
    let confirmation: StoredEmail | undefined;
    for (const deadline = Date.now() + 60_000; !confirmation && Date.now() < deadline; ) {
      confirmation = (await inbox()).find((mail) => mail.destination.to[0] === email);
      if (!confirmation) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(confirmation?.subject).toMatch(/confirm/i);
    // The installation's hour counted this one mail.
    expect(await redis.get(`${app.config.queuePrefix}:rate-limit:confirmation-mails:all`)).toBe('1');
  }, 90_000);

  it("holds every one of Pregón's keys in the prefix's one slot, and logs no slot error", async () => {
    const keys = (
      await Promise.all((redis as Cluster).nodes('master').map((node) => node.keys(`${app.config.queuePrefix}*`)))
    ).flat();
    const kinds = new Set(keys.map((key) => key.slice(app.config.queuePrefix.length + 1).split(':')[0]));
    for (const expected of ['campaigns', 'deliveries', 'confirmations', 'test-copies', 'clicks'])
      expect(kinds, expected).toContain(expected);
    expect(kinds).toContain('rate-limit');
    const slots = new Set(await Promise.all(keys.map((key) => redis.cluster('KEYSLOT', key))));
    expect(slots).toEqual(new Set([await redis.cluster('KEYSLOT', app.config.queuePrefix)]));
    // A key outside the slot, or a script's keys over two, would fail so. (A loaded machine may
    // still log a slow refresh of the slot map, which the client retries.)
    const slotErrors = /CROSSSLOT|MOVED|NOSCRIPT/;
    expect(JSON.stringify(logged)).not.toMatch(slotErrors);
    expect(worker.output).not.toMatch(slotErrors);
  });

  it('stops the worker process gracefully on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
