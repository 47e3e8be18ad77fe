// The web half of compose(): the express app with what only the web needs (the SES webhook's
// events, the mail viewer's mailbox). A module of its own so that compose() loads it only in a
// process that serves the web: the worker process never loads express, bull-board or the SES
// emulator, nor React until it sends a confirmation mail (about 30 MB of its memory).
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { rateLimitPrefix, type RedisClient } from './redis.js';
import type { Database } from './db/database.js';
import { httpsCertificateFetcher, httpsSubscriptionConfirmer } from './events/routes.js';
import { BulletinPresence } from './bulletins/presence.js';
import { SesEvents, type SesEventsDeps } from './events/ses-events.js';
import { developmentMailbox, type Mailbox } from './sending/mail-viewer.js';
import { RecentClicks } from './sending/recent-clicks.js';
import type { SesEmulator } from './sending/ses-emulator.js';
import type { SignInLimits } from './staff/sign-in.js';
import type { Sending, Stores } from './stores.js';

export { startSesEmulator } from './sending/ses-emulator.js';

/** What a caller may change in the web app; each field left out keeps `npm start`'s way. */
export interface WebOverrides {
  /**
   * An SES emulator the caller started, shown at /admin/mail outside production; config.ses still
   * says where mail goes. Left out, a web process whose config.ses is 'emulator' starts one.
   */
  sesEmulator?: SesEmulator;
  /** Where the built staff web app is; dist/ui when left out. */
  staffAppDir?: string;
  /** Throttles on failed sign-ins, when not the defaults (tests lower them). */
  signInLimits?: Partial<SignInLimits>;
  /** Fetches SNS signing certificates for the SES webhook; over https when left out. */
  fetchCertificate?: SesEventsDeps['fetchCertificate'];
  /** Visits an SNS SubscribeURL for the SES webhook; over https when left out. */
  confirmSubscription?: SesEventsDeps['confirmSubscription'];
}

export interface WebParts {
  config: Config;
  logger: Logger;
  database: Database;
  stores: Stores;
  sending: Sending;
  /** For the health check, the rate limits, the sign-in throttles and who has a bulletin open. */
  redis: RedisClient;
  /** The emulator compose() started, if it did. */
  emulator: SesEmulator | undefined;
  setupCode: string | undefined;
}

export function webApp(
  parts: WebParts,
  overrides: WebOverrides,
): { app: Express; mailbox: Mailbox | undefined; presence: BulletinPresence } {
  const { config, logger, database, stores, sending, redis } = parts;
  const mailbox = developmentMailbox(config.nodeEnv, overrides.sesEmulator ?? parts.emulator);
  const presence = new BulletinPresence(redis, `${config.queuePrefix}:presence`);
  const app = createApp({
    logger,
    health: { dbKind: database.kind, pingDb: () => database.ping(), pingRedis: async () => void (await redis.ping()) },
    stores,
    campaigns: sending.service,
    welcomeMail: sending.welcomeMail,
    sesEvents: new SesEvents({
      db: database.db,
      suppressions: stores.suppressions,
      transientBounceLimit: config.transientBounceLimit,
      fetchCertificate: overrides.fetchCertificate ?? httpsCertificateFetcher,
      confirmSubscription: overrides.confirmSubscription ?? httpsSubscriptionConfirmer,
      topicArns: config.snsTopicArns,
      logger: logger.child({ component: 'ses-events' }),
    }),
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    subscribe: {
      confirmations: sending.confirmations,
      redis,
      rateLimitPrefix: rateLimitPrefix(config.queuePrefix),
    },
    recentClicks: new RecentClicks(redis, `${config.queuePrefix}:clicks`, config.appSecret),
    presence,
    webhooks: { queue: sending.webhooks, production: config.nodeEnv === 'production' },
    staffAppDir: overrides.staffAppDir,
    setupCode: parts.setupCode,
    signInLimits: overrides.signInLimits,
    queues: [sending.queues.campaigns, sending.queues.deliveries, sending.confirmations.queue, sending.webhooks.queue],
    mailbox,
  });
  return { app, mailbox, presence };
}
