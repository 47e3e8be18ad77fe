// Builds one Pregón process from its Config, once: the database, the stores, Redis, the queues,
// the sender and, as the caller asks, the web app and the worker. `npm start`, `npm run worker`
// and the tests' app all come through here; what they change is named in Overrides.
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import { startWorker, type RunningWorker } from '../workers/worker.js';
import type { Bulletin } from './bulletins/schemas.js';
import { loadExampleBulletin } from './bulletins/example.js';
import type { BulletinPresence } from './bulletins/presence.js';
import type { WebOverrides } from './compose-web.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createMediaFiles, type MediaFiles } from './media/media-files.js';
import { checkRedis, commandClient } from './redis.js';
import { inProcessMjml, type MjmlEngine } from './render/mjml-engine.js';
import type { Mailbox } from './sending/mail-viewer.js';
import type { SesEmulator } from './sending/ses-emulator.js';
import { generateSetupCode } from './staff/setup-code.js';
import { createSending, createStores, sesEndpoint, type Sending, type Stores } from './stores.js';

/** What a caller changes from `npm start`'s whole app; each field left out keeps `npm start`'s way. */
export interface Overrides extends WebOverrides {
  /** Where the app and the worker log; pino at config.logLevel when left out. */
  logger?: Logger;
  /**
   * An open, migrated database the caller keeps and closes (a test's own). Left out, config.database
   * is opened, brought to the latest schema, and closed by close().
   */
  database?: Database;
  /** Where MJML runs: in this thread when left out. A worker process alone renders in passing threads. */
  mjml?: MjmlEngine;
  /** Serve the web app (true when left out). A worker process says false: no app, no emulator. */
  web?: boolean;
  /** Run the worker in this process (true when left out). */
  worker?: boolean;
  /** Where the web app listens: config.port on every interface when left out. */
  listen?: { port: number; host?: string };
  /** Redis for the health check and the rate limits: config.redisUrl when left out (the queues always use it). */
  redisUrl?: string;
  /**
   * Ready the installation as `npm start` does (true when left out): hash addresses stored before
   * hashing, store the archive pages of campaigns published before they were stored, load the
   * example bulletin into an empty database, make a setup code while no admin exists.
   */
  firstRun?: boolean;
  /** The one-time code POST /api/setup accepts, instead of first run's; with neither, setup is refused. */
  setupCode?: string;
  /** Where the media library's files are: DATA_DIR/media, served at PUBLIC_URL/media, when left out. */
  mediaFiles?: MediaFiles;
}

export interface Composition {
  logger: Logger;
  database: Database;
  stores: Stores;
  sending: Sending;
  /** The web app and the server it listens on; absent with `web: false`. */
  app?: Express;
  server?: Server;
  /** The SES emulator started here (config.ses is 'emulator'); not one the caller passed in. */
  sesEmulator?: SesEmulator;
  /** The mail /admin/mail shows; absent, there is no such page. */
  mailbox?: Mailbox;
  /** Who has which bulletin open, as the web app's presence routes keep it; absent with `web: false`. */
  presence?: BulletinPresence;
  worker?: RunningWorker;
  /** The code that makes the first admin at /admin/setup; `npm start` prints it. */
  setupCode?: string;
  /** The example bulletin, when first run loaded it into an empty database. */
  example?: Bulletin;
  /** Stops everything in the reverse order of its start: the worker first, the database last. */
  close(): Promise<void>;
}

export async function compose(config: Config, overrides: Overrides = {}): Promise<Composition> {
  const web = overrides.web ?? true;
  const firstRun = web && (overrides.firstRun ?? true);
  const logger = overrides.logger ?? pino({ level: config.logLevel });
  // Each part, once started, says how it stops; close() runs them backwards, as does a failed start.
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };

  try {
    await checkRedis(config.redisUrl, config.redisCluster);
    const database = overrides.database ?? openDatabase(config.database);
    if (!overrides.database) {
      stops.push(() => database.close());
      await migrateToLatest(database);
    }
    const media = overrides.mediaFiles ?? createMediaFiles(config);
    const stores = createStores(database, { ...config, media }, overrides.mjml ?? inProcessMjml);
    if (firstRun) await stores.subscribers.backfillEmailHashes();
    const backfilled = firstRun ? await stores.archivePages.backfill() : 0;
    if (backfilled) logger.info({ campaigns: backfilled }, 'archive pages stored for campaigns published before 0010');
    const example = firstRun ? await loadExampleBulletin(stores) : undefined;

    // Only a process that serves the web loads its half (express, React, the emulator): not the worker's.
    const webHalf = web ? await import('./compose-web.js') : undefined;
    const emulator =
      webHalf && config.ses.mode === 'emulator' ? await webHalf.startSesEmulator(config.ses.port) : undefined;
    if (emulator) stops.push(() => emulator.close());
    const sending = createSending(stores, config, emulator?.url ?? sesEndpoint(config));
    stops.push(() => sending.close());

    let served: Pick<Composition, 'app' | 'server' | 'mailbox' | 'presence' | 'setupCode'> = {};
    if (webHalf) {
      const redis = commandClient(overrides.redisUrl ?? config.redisUrl, config.redisCluster);
      stops.push(async () => redis.disconnect());
      // While no admin exists, this code (printed by `npm start`) lets the first one be made from the browser.
      const setupCode =
        overrides.setupCode ?? (firstRun && (await stores.staff.countAdmins()) === 0 ? generateSetupCode() : undefined);
      const { app, mailbox, presence } = webHalf.webApp(
        { config, logger, database, stores, sending, redis, emulator, setupCode },
        overrides,
      );
      const server = await listen(app, overrides.listen ?? { port: config.port });
      stops.push(async () => {
        server.closeAllConnections(); // progress streams would otherwise hold the server open
        await new Promise((resolve) => server.close(resolve));
      });
      served = { app, server, mailbox, presence, setupCode };
    }

    const worker = (overrides.worker ?? true) ? await startWorker({ config, logger, stores, sending }) : undefined;
    if (worker) stops.push(() => worker.close());
    return { logger, database, stores, sending, ...served, sesEmulator: emulator, worker, example, close };
  } catch (err) {
    await close().catch((e: unknown) => logger.error({ err: e }, 'could not stop what had started'));
    throw err;
  }
}

function listen(app: Express, { port, host }: { port: number; host?: string }): Promise<Server> {
  const server = createServer(app);
  // A CSV import reads its body as fast as it writes rows: give a long file 30 minutes, not
  // Node's default 5 (header timeouts still guard against slow clients).
  server.requestTimeout = 30 * 60_000;
  // An idle connection is closed by whoever reuses it (a proxy, a browser), never first by us: a
  // request sent on a connection the server is just closing is lost (ECONNRESET, or a 502 from
  // the proxy). Node's 5 s is shorter than most clients' idle timeouts; 65 s outlasts the common
  // proxies' 60 s. headersTimeout stays above it, as Node advises.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
