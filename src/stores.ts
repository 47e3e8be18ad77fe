// Builds the stores and services over one database, once, for compose() (and for the tests and
// benches that need only these).
import { AudienceStore } from './audience/audience-store.js';
import { ruleReaders } from './audience/rule-readers.js';
import { AuditLog } from './audit/audit-log.js';
import { SegmentStore } from './audience/segment-store.js';
import { SubscriberLifecycle } from './audience/subscriber-lifecycle.js';
import { SubscriberStore } from './audience/subscriber-store.js';
import { SuppressionList } from './audience/suppressions.js';
import { TopicStore } from './audience/topic-store.js';
import { BulletinStore } from './bulletins/bulletin-store.js';
import { TranslationStore } from './bulletins/translation-store.js';
import { LibraryStore } from './library/library-store.js';
import type { MediaFiles } from './media/media-files.js';
import { MediaStore } from './media/media-store.js';
import { BulletinRenderer } from './render/bulletin-renderer.js';
import type { Database } from './db/database.js';
import { ArchivePages } from './sending/archive-pages.js';
import { CampaignLinks } from './sending/campaign-links.js';
import { CampaignReports } from './sending/campaign-reports.js';
import { CampaignStore } from './sending/campaign-store.js';
import { DeliveryLedger } from './sending/delivery-ledger.js';
import { WelcomeMail } from './sending/welcome-mail.js';
import { WelcomeStore } from './sending/welcome-store.js';
import { SettingsStore } from './settings/settings-store.js';
import { SetupProgressStore } from './setup/setup-progress-store.js';
import { ArchiveStore } from './supporters/archive-store.js';
import { ConfirmationQueue } from './supporters/confirmation-queue.js';
import { EmbedForm } from './supporters/embed-form.js';
import { SubscriptionStore } from './supporters/subscription-store.js';
import { SupporterStore } from './supporters/supporter-store.js';
import type { Config } from './config.js';
import { inProcessMjml, type MjmlEngine } from './render/mjml-engine.js';
import { bullConnection } from './redis.js';
import { CampaignService, TEST_COPIES_PER_HOUR } from './sending/campaign-service.js';
import { HourlyAllowance } from './sending/hourly-allowance.js';
import { SendQueues } from './sending/send-queues.js';
import { SesSender, sesClient } from './sending/ses-sender.js';
import { LinkSigner } from './signed-links.js';
import { SessionStore } from './staff/sessions.js';
import { KnownDevices } from './staff/known-devices.js';
import { StaffStore } from './staff/staff-store.js';
import { WebhookQueue } from './webhooks/webhook-queue.js';
import { WebhookStore } from './webhooks/webhook-store.js';

/**
 * `mjml` is where this process runs MJML (compose() decides); it travels with the stores to what
 * renders: the previews, the campaign service and the worker's runner. `media` is where the media
 * library's files are.
 */
export function createStores(
  database: Database,
  options: { appSecret: string; publicUrl: string; media: MediaFiles },
  mjml: MjmlEngine = inProcessMjml,
) {
  const { db } = database;
  // The address every file of the media library starts with: a logo or an image there is Pregón's own.
  const mediaUrl = options.media.url('');
  const topics = new TopicStore(db);
  const settings = new SettingsStore(db, mediaUrl);
  const signer = new LinkSigner(options.appSecret);
  const suppressions = new SuppressionList(db, options.appSecret);
  const lifecycle = new SubscriberLifecycle(suppressions);
  const staff = new StaffStore(db);
  const campaigns = new CampaignStore(db);
  const bulletins = new BulletinStore(db);
  const audience = new AudienceStore(db, database.kind);
  const welcome = new WelcomeStore(db);
  const renderer = new BulletinRenderer({
    settings,
    topics,
    signer,
    publicUrl: options.publicUrl,
    mediaUrl,
    mjml,
    blockAudiences: audience,
    readers: (ids) => ruleReaders(db, ids),
  });
  return {
    supporters: new SupporterStore(db, lifecycle),
    archive: new ArchiveStore(db),
    archivePages: new ArchivePages({ db, bulletins, renderer }),
    subscriptions: new SubscriptionStore(db, lifecycle, welcome),
    staff,
    sessions: new SessionStore(db, staff, options.appSecret),
    knownDevices: new KnownDevices(options.appSecret, options.publicUrl),
    topics,
    suppressions,
    subscribers: new SubscriberStore(db, suppressions, lifecycle, database.kind),
    audience,
    campaigns,
    ledger: new DeliveryLedger(db, database.kind),
    welcome,
    campaignReports: new CampaignReports(db, campaigns),
    campaignLinks: new CampaignLinks(db),
    segments: new SegmentStore(db),
    settings,
    embedForm: new EmbedForm({ topics, settings, publicUrl: options.publicUrl }),
    setupProgress: new SetupProgressStore(db, settings),
    bulletins,
    translations: new TranslationStore(db, bulletins),
    library: new LibraryStore(db),
    media: new MediaStore(db, options.media, settings),
    mediaFiles: options.media,
    audit: new AuditLog(db),
    webhooks: new WebhookStore(db),
    signer,
    mjml,
    renderer,
  };
}

export type Stores = ReturnType<typeof createStores>;

/**
 * The sending side both the web app and the worker use: the queues (a campaign's, the
 * confirmation mails' and the webhooks'), the SES sender and the campaign service. `sesEndpoint` is where mail
 * goes (the emulator's URL, another endpoint, or undefined for real SES).
 */
export function createSending(stores: Stores, config: Config, sesEndpoint: string | undefined) {
  const connection = bullConnection(config.redisUrl, config.redisCluster);
  const queues = new SendQueues(connection, config.queuePrefix, config.queueWaitMs);
  const confirmations = new ConfirmationQueue(connection, config.queuePrefix);
  const webhooks = new WebhookQueue(connection, config.queuePrefix);
  const sender = new SesSender(sesClient(config, sesEndpoint), config.sesConfigurationSet);
  const service = new CampaignService({
    ...stores,
    queues,
    sender,
    testCopies: new HourlyAllowance(connection, `${config.queuePrefix}:test-copies`, TEST_COPIES_PER_HOUR),
    publicUrl: config.publicUrl,
    mailFrom: config.mailFrom,
  });
  return {
    queues,
    confirmations,
    webhooks,
    sender,
    service,
    welcomeMail: new WelcomeMail({ ...stores, queues }),
    async close() {
      await Promise.all([queues.close(), confirmations.close(), webhooks.close()]);
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
