// The web application: routes get their dependencies passed in; nothing here opens a connection.
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { audienceRoutes } from './audience/audience-routes.js';
import type { ConfirmationRequests } from './audience/confirmation-requests.js';
import { subscriberRoutes, topicRoutes } from './audience/routes.js';
import { type AuditRecorder, bestEffort } from './audit/audit-log.js';
import { auditRoutes } from './audit/routes.js';
import { bulletinDocumentSchema } from './bulletins/document.js';
import type { BulletinPresence } from './bulletins/presence.js';
import { presenceRoutes } from './bulletins/presence-routes.js';
import { bulletinRoutes } from './bulletins/routes.js';
import { translationRoutes } from './bulletins/translation-routes.js';
import { sesWebhookRouter } from './events/routes.js';
import type { SesEvents } from './events/ses-events.js';
import { healthHandler, type HealthChecks } from './health.js';
import { libraryRoutes } from './library/routes.js';
import { mediaServer } from './media/media-server.js';
import { mediaRoutes } from './media/routes.js';
import { mountRoutes, openApiDocument, type RouteSpec } from './http/api-routes.js';
import { staffAuth } from './staff/auth.js';
import { SESSION_COOKIE } from './staff/session-cookie.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { loggedPath } from './http/logged-path.js';
import { noStore } from './http/no-store.js';
import { jsonBody, refuseContentEncoding } from './http/storable-input.js';
import { staffWebApp } from './http/staff-web-app.js';
import type { CampaignService } from './sending/campaign-service.js';
import { clickHandler } from './sending/click-route.js';
import type { RecentClicks } from './sending/recent-clicks.js';
import { MAIL_VIEWER_PATH, mailViewer, type Mailbox } from './sending/mail-viewer.js';
import { campaignRoutes } from './sending/routes.js';
import type { WelcomeMail } from './sending/welcome-mail.js';
import { welcomeMailRoutes } from './sending/welcome-routes.js';
import { settingsRoutes } from './settings/routes.js';
import { embedFormRoutes } from './supporters/embed-form-routes.js';
import { setupRoutes } from './setup/routes.js';
import type { TrustProxy } from './config.js';
import { archiveRouter } from './supporters/archive.js';
import { preferencesRouter } from './supporters/preferences.js';
import { subscribeRouter } from './supporters/subscribe.js';
import type { ConfirmationQueue } from './supporters/confirmation-queue.js';
import type { Queue } from 'bullmq';
import { unsubscribeRouter } from './supporters/unsubscribe.js';
import { QUEUE_BOARD_PATH, queueBoard } from './staff/queue-board.js';
import { meRoutes, staffRoutes, tokenRoutes } from './staff/routes.js';
import { signInRouter, type SignInLimits } from './staff/sign-in.js';
import type { Stores } from './stores.js';
import { webhookRoutes, type WebhookRouteDeps } from './webhooks/routes.js';
import { webhookEventsSchema } from './webhooks/events.js';
import type { RedisClient } from './redis.js';

export interface AppDeps {
  logger: Logger;
  health: HealthChecks;
  stores: Stores;
  campaigns: CampaignService;
  /** Turns the welcome mail on and off; queues each confirmation's welcome mail. */
  welcomeMail: WelcomeMail;
  sesEvents: SesEvents;
  /** Where the public pages live (config.publicUrl). */
  publicUrl: string;
  /** Which proxies' X-Forwarded-For and X-Forwarded-Proto to believe (config.trustProxy). */
  trustProxy: TrustProxy;
  /**
   * What the subscribe form needs beyond the stores: the queue its requests wait in for the worker,
   * where its rate limits count. Staff sign-in counts its failed attempts in the same Redis, under
   * the same prefix.
   */
  subscribe: {
    confirmations: ConfirmationQueue;
    redis: RedisClient;
    rateLimitPrefix: string;
  };
  /** Who followed which tracked link lately, so that a client's clicks on a link count once per window. */
  recentClicks: RecentClicks;
  /** Who has which bulletin open in the composer, by their heartbeats. */
  presence: BulletinPresence;
  /** The queue a test event's delivery goes on, and whether endpoints must be https (NODE_ENV=production). */
  webhooks: WebhookRouteDeps;
  /** The one-time code that creates the first admin at /admin/setup (main.ts prints it); absent, no setup. */
  setupCode?: string;
  /** Throttles on failed sign-ins, when not the defaults (tests lower them). */
  signInLimits?: Partial<SignInLimits>;
  /** The BullMQ queues the dashboard at /admin/queues shows; absent, there is no dashboard. */
  queues?: readonly Queue[];
  /** The local SES emulator's mail, shown at /admin/mail (developmentMailbox decides); absent, no such page. */
  mailbox?: Mailbox;
  /** Where the built staff web app is; dist/ui when left out. */
  staffAppDir?: string;
}

export const API_INFO = { title: 'Pregón API', version: '1' };

export function createApp(deps: AppDeps): Express {
  const { stores } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      // Never log the token, cookies or query strings (they may carry addresses or signed links).
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: loggedPath(req.url) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );

  app.get('/healthz', healthHandler(deps.health));
  app.get('/c/:token', clickHandler(stores.campaignLinks, stores.signer, deps.recentClicks, deps.logger));
  app.use(unsubscribeRouter(stores));
  app.use(preferencesRouter(stores));
  app.use(archiveRouter({ ...stores, publicUrl: deps.publicUrl }));
  app.use(subscribeRouter({ ...stores, ...deps.subscribe, welcomeMail: deps.welcomeMail, logger: deps.logger }));
  app.use(sesWebhookRouter(deps.sesEvents));
  app.use(mediaServer(stores.mediaFiles));
  // Before anything that serves /admin, so the staff web app never shadows it.
  if (deps.queues)
    app.use(
      QUEUE_BOARD_PATH,
      queueBoard({ queues: deps.queues, sessions: stores.sessions, publicUrl: deps.publicUrl }),
    );
  if (deps.mailbox) app.use(MAIL_VIEWER_PATH, mailViewer({ mailbox: deps.mailbox, sessions: stores.sessions }));

  const audit = bestEffort(stores.audit, (err, entry) =>
    deps.logger.error({ err, action: entry.action }, 'could not record in the audit trail'),
  );
  const routes = apiRoutes({ ...deps, confirmations: deps.subscribe.confirmations }, audit);
  const openApi = openApiDocument(routes, API_INFO, SESSION_COOKIE);
  const api = express.Router();
  // Nothing under /api takes a compressed body: refused before authentication, so never read.
  // The answers speak of staff, subscribers and sessions (and carry the CSRF token): never cached.
  api.use(refuseContentEncoding, noStore);
  // Public: descriptions of the API and of the bulletin format, no data.
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.get('/schemas/bulletin.json', (_req, res) => {
    res.json(bulletinDocumentSchema);
  });
  const eventsSchema = webhookEventsSchema();
  api.get('/schemas/webhook-events.json', (_req, res) => {
    res.json(eventsSchema);
  });
  // Signing in needs no token: /session and /setup come before authentication, and read small bodies only.
  api.use(
    signInRouter({
      staff: stores.staff,
      sessions: stores.sessions,
      knownDevices: stores.knownDevices,
      publicUrl: deps.publicUrl,
      setupCode: deps.setupCode,
      mailViewer: deps.mailbox ? MAIL_VIEWER_PATH : undefined,
      redis: deps.subscribe.redis,
      rateLimitPrefix: deps.subscribe.rateLimitPrefix,
      logger: deps.logger,
      audit,
      limits: deps.signInLimits,
    }),
  );
  // Authentication reads headers only: a request from no one is refused before its body is read.
  api.use(staffAuth({ tokens: stores.staff, sessions: stores.sessions }));
  api.use(jsonBody({ limit: '1mb' }));
  mountRoutes(api, routes);
  app.use('/api', api);

  app.use(staffWebApp(deps.staffAppDir, stores.mediaFiles.url('')));

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * Every route under /api that needs a token or a session, each with the role it needs. `audit`
 * records what they do; left out (tests that only walk the routes), the trail's own writes.
 */
export function apiRoutes(
  {
    stores,
    campaigns,
    presence,
    webhooks,
    welcomeMail,
    confirmations,
  }: Pick<AppDeps, 'stores' | 'campaigns' | 'presence' | 'webhooks' | 'welcomeMail'> & {
    confirmations: ConfirmationRequests;
  },
  audit: AuditRecorder = stores.audit,
): RouteSpec[] {
  const campaignAudit = { record: audit.record.bind(audit), historyOf: stores.audit.historyOf.bind(stores.audit) };
  return [
    ...topicRoutes(stores.topics),
    ...subscriberRoutes(stores.subscribers, confirmations, audit),
    ...audienceRoutes(
      stores.audience,
      stores.segments,
      stores.suppressions,
      stores.subscribers,
      async (id) => (await stores.bulletins.get(id)).document.blocks,
    ),
    ...settingsRoutes(stores.settings, audit),
    ...embedFormRoutes(stores.embedForm),
    ...setupRoutes(stores.setupProgress),
    ...bulletinRoutes(stores.bulletins, stores.renderer, stores.campaigns, stores.translations, audit),
    ...translationRoutes(stores.bulletins, stores.translations),
    ...presenceRoutes(stores.bulletins, presence),
    ...libraryRoutes(stores.library),
    ...mediaRoutes(stores.media, audit),
    ...campaignRoutes(campaigns, stores.campaigns, stores.campaignReports, stores.staff, campaignAudit),
    ...welcomeMailRoutes(welcomeMail, audit),
    ...staffRoutes(stores.staff, stores.sessions, audit),
    ...tokenRoutes(stores.staff, audit),
    ...meRoutes(stores.staff),
    ...auditRoutes(stores.audit),
    ...webhookRoutes(stores.webhooks, webhooks, audit),
  ];
}
