// Builds the stores and services over one database, once, for compose() (and for the tests and
// benches that need only these).
import { AudienceStore } from './audience/audience-store.js';
import { SegmentStore } from './audience/segment-store.js';
import { SubscriberStore } from './audience/subscriber-store.js';
import { SuppressionList } from './audience/suppressions.js';
import { TopicStore } from './audience/topic-store.js';
import { BulletinStore } from './bulletins/bulletin-store.js';
import { BulletinPreviews } from './bulletins/previews.js';
import type { Database } from './db/database.js';
import { CampaignStore } from './sending/campaign-store.js';
import { SettingsStore } from './settings/settings-store.js';
import { ArchiveStore } from './supporters/archive-store.js';
import { SubscriptionStore } from './supporters/subscription-store.js';
import { SupporterStore } from './supporters/supporter-store.js';
import type { Config } from './config.js';
import { inProcessMjml, type MjmlEngine } from './render/mjml-engine.js';
import { bullConnection } from './redis.js';
import { CampaignService } from './sending/campaign-service.js';
import { SendQueues } from './sending/send-queues.js';
import { SesSender, sesClient } from './sending/ses-sender.js';
import { LinkSigner } from './signed-links.js';
import { SessionStore } from './staff/sessions.js';
import { StaffStore } from './staff/staff-store.js';

/**
 * `mjml` is where this process runs MJML (compose() decides); it travels with the stores to what
 * renders: the previews, the campaign service and the worker's runner.
 */
export function createStores(
  database: Database,
  options: { appSecret: string; publicUrl: string },
  mjml: MjmlEngine = inProcessMjml,
) {
  const { db } = database;
  const topics = new TopicStore(db);
  const settings = new SettingsStore(db);
  const signer = new LinkSigner(options.appSecret);
  const suppressions = new SuppressionList(db, options.appSecret);
  const staff = new StaffStore(db);
  return {
    supporters: new SupporterStore(db),
    archive: new ArchiveStore(db),
    subscriptions: new SubscriptionStore(db, suppressions),
    staff,
    sessions: new SessionStore(db, staff, options.appSecret),
    topics,
    suppressions,
    subscribers: new SubscriberStore(db, suppressions),
    audience: new AudienceStore(db, database.kind),
    campaigns: new CampaignStore(db, database.kind),
    segments: new SegmentStore(db),
    settings,
    bulletins: new BulletinStore(db),
    signer,
    mjml,
    previews: new BulletinPreviews({ settings, topics, signer, publicUrl: options.publicUrl, mjml }),
  };
}

export type Stores = ReturnType<typeof createStores>;

/**
 * The sending side both the web app and the worker use: the queues, the SES sender and the
 * campaign service. `sesEndpoint` is where mail goes (the emulator's URL, another endpoint, or
 * undefined for real SES).
 */
export function createSending(stores: Stores, config: Config, sesEndpoint: string | undefined) {
  const connection = bullConnection(config.redisUrl);
  const queues = new SendQueues(connection, config.queuePrefix);
  const sender = new SesSender(sesClient(config, sesEndpoint), config.sesConfigurationSet);
  const service = new CampaignService({
    ...stores,
    queues,
    sender,
    publicUrl: config.publicUrl,
    mailFrom: config.mailFrom,
  });
  return {
    queues,
    sender,
    service,
    async close() {
      await queues.close();
      connection.disconnect();
    },
  };
}

export type Sending = ReturnType<typeof createSending>;

/** Where mail goes for this configuration; the in-process emulator's own URL wins when it runs. */
export function sesEndpoint(config: Config): string | undefined {
  if (config.ses.mode === 'endpoint') return config.ses.url;
  if (config.ses.mode === 'emulator') return `http://127.0.0.1:${config.ses.port}`;
  return undefined;
}
