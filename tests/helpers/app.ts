// A real app on a real database and Redis, listening on a loopback port, with an admin and an
// editor token; requests go through fetch as a client's would.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { SuppressionList } from '../../src/audience/suppressions.js';
import type { BulletinPresence } from '../../src/bulletins/presence.js';
import { compose } from '../../src/compose.js';
import { openDatabase, type DatabaseKind } from '../../src/db/database.js';
import type { MjmlEngine } from '../../src/render/mjml-engine.js';
import { bullConnection } from '../../src/redis.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { SesEventsDeps } from '../../src/events/ses-events.js';
import type { CampaignService } from '../../src/sending/campaign-service.js';
import type { SesEmulator } from '../../src/sending/ses-emulator.js';
import type { WelcomeMail } from '../../src/sending/welcome-mail.js';
import { SendQueues } from '../../src/sending/send-queues.js';
import type { SignInLimits } from '../../src/staff/sign-in.js';
import type { Stores } from '../../src/stores.js';
import { ConfirmationQueue } from '../../src/supporters/confirmation-queue.js';
import { WebhookQueue } from '../../src/webhooks/webhook-queue.js';
import type { WebhookRouteDeps } from '../../src/webhooks/routes.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { testMediaDir, testMediaFiles } from './media.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';
export const TEST_PUBLIC_URL = 'https://news.example.org';

export interface TestApp {
  baseUrl: string;
  db: TestDatabase;
  adminToken: string;
  editorToken: string;
  suppressions: SuppressionList;
  stores: Stores;
  /** The express app itself, for tests that walk its routes. */
  express: Express;
  /** The campaign service the app's routes were given. */
  campaigns: CampaignService;
  /** The welcome mail's service the app's routes were given. */
  welcomeMail: WelcomeMail;
  /** Who has which bulletin open, as the app's routes were given it. */
  presence: BulletinPresence;
  /** What the app's webhook routes were given. */
  webhooks: WebhookRouteDeps;
  /** The confirmation queue the app's routes were given. */
  confirmations: ConfirmationQueue;
  config: Config;
  /** The folder of the app's media library (made at its first upload). */
  mediaDir: string;
  request(
    method: string,
    path: string,
    options?: { token?: string | null; json?: unknown; body?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Redis for the health check only (the queues always use the test Redis). */
  redisUrl?: string;
  /** Where mail goes (an emulator or a scripted server); nowhere reachable when left out. */
  sesEndpoint?: string;
  /**
   * The SES emulator mail goes to, shown at /admin/mail as `npm start` shows its own (not in
   * production); sesEndpoint is its URL.
   */
  sesEmulator?: SesEmulator;
  /** Run the worker in the same process, as `npm start` does. */
  worker?: boolean;
  /** More environment for the configuration, e.g. SES_MAX_SEND_RATE. */
  env?: Record<string, string>;
  /** The built staff web app to serve under /admin (the browser tests build their own). */
  staffAppDir?: string;
  /** The first-run code POST /api/setup accepts; without it, setup is refused. */
  setupCode?: string;
  /** Lower throttles on failed sign-ins, so a test reaches them quickly. */
  signInLimits?: Partial<SignInLimits>;
  /** Where the app (and the worker) log; silent when left out. */
  logger?: Logger;
  /** Serves SNS signing certificates to the SES webhook; without it every fetch fails (no network in tests). */
  fetchCertificate?: SesEventsDeps['fetchCertificate'];
  /** Visits an SNS SubscribeURL for the SES webhook; without it every visit fails. */
  confirmSubscription?: SesEventsDeps['confirmSubscription'];
  /**
   * The PostgreSQL URL the app (and its worker) reach the test database by, from the direct one:
   * a proxy's, so a test can take the database away from the app. `db` stays direct.
   */
  databaseVia?: (url: string) => string;
  /**
   * Where the app and its worker run MJML (one that counts its renders, or a scripted one that
   * fails); this thread when left out.
   */
  mjml?: MjmlEngine;
}

export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const config = testConfig(db, options);
  const offline = async () => {
    throw new Error('no network in tests');
  };
  // Through a proxy (databaseVia) the app has a connection of its own, by config.database. Not
  // migrated again: Kysely's migrator reads every schema's tables, and fails when another test
  // drops its schema meanwhile.
  const database = options.databaseVia ? openDatabase(config.database) : db.database;
  const mediaDir = testMediaDir();
  const pregon = await compose(config, {
    logger: options.logger,
    database,
    worker: options.worker ?? false,
    mjml: options.mjml,
    firstRun: false,
    listen: { port: 0, host: '127.0.0.1' },
    redisUrl: options.redisUrl,
    sesEmulator: options.sesEmulator,
    setupCode: options.setupCode,
    staffAppDir: options.staffAppDir,
    signInLimits: options.signInLimits,
    fetchCertificate: options.fetchCertificate ?? offline,
    confirmSubscription: options.confirmSubscription ?? offline,
    mediaFiles: testMediaFiles(config.publicUrl, mediaDir),
  });
  const { stores, sending } = pregon;
  const { staff, suppressions } = stores;
  const server = pregon.server!;
  // The test's fetch (undici) drops an idle connection after the server's Keep-Alive hint less
  // 2 s, counted in ticks of its own timer that a busy or starved test process delays; the server
  // counts wall time. After a stall, fetch can write a request on a connection the server closes
  // before reading it (ECONNRESET), whatever the timeout. So here only the client closes idle
  // connections; close() ends the rest.
  server.keepAliveTimeout = 0;
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const adminToken = (await staff.createToken({ name: 'admin', role: 'admin' })).token;
  const editorToken = (await staff.createToken({ name: 'editor', role: 'editor' })).token;

  return {
    baseUrl,
    db,
    adminToken,
    editorToken,
    suppressions,
    stores,
    express: pregon.app!,
    campaigns: sending.service,
    welcomeMail: sending.welcomeMail,
    presence: pregon.presence!,
    webhooks: { queue: sending.webhooks, production: config.nodeEnv === 'production' },
    confirmations: sending.confirmations,
    config,
    mediaDir,
    request(method, path, { token = adminToken, json, body, headers = {} } = {}) {
      return fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: json !== undefined ? JSON.stringify(json) : body,
      });
    },
    async close() {
      await pregon.close();
      if (database !== db.database) await database.close();
      await removeQueues(config);
      await db.drop();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Removes the test's queues from Redis, over a connection of its own: the app has closed its own. */
async function removeQueues(config: Config): Promise<void> {
  const connection = bullConnection(config.redisUrl, config.redisCluster);
  const queues = new SendQueues(connection, config.queuePrefix, config.queueWaitMs);
  await queues.campaigns.obliterate({ force: true });
  await queues.deliveries.obliterate({ force: true });
  await queues.close();
  const confirmations = new ConfirmationQueue(connection, config.queuePrefix);
  await confirmations.queue.obliterate({ force: true });
  await confirmations.close();
  const webhooks = new WebhookQueue(connection, config.queuePrefix);
  await webhooks.queue.obliterate({ force: true });
  await webhooks.close();
  connection.disconnect();
}

/** The configuration a test app runs with: its own queue prefix in Redis, its own database. */
export function testConfig(db: TestDatabase, options: TestAppOptions = {}): Config {
  return loadConfig({
    APP_SECRET: TEST_SECRET,
    PUBLIC_URL: TEST_PUBLIC_URL,
    DATA_DIR: tmpdir(),
    DATABASE_URL: options.databaseVia?.(db.url) ?? db.url,
    REDIS_URL,
    QUEUE_PREFIX: `test-${randomUUID()}`,
    SES_ENDPOINT: options.sesEndpoint ?? options.sesEmulator?.url ?? 'http://127.0.0.1:9',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
}
