// Composition root for `npm start`: config, database, Redis, the local SES emulator, the web
// app and (unless --no-worker) the worker, all in one process.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp } from './app.js';
import { loadExampleBulletin } from './bulletins/example.js';
import { httpsCertificateFetcher, httpsSubscriptionConfirmer } from './events/routes.js';
import { SesEvents } from './events/ses-events.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { checkRedis, commandClient, RedisUnreachableError } from './redis.js';
import { developmentMailbox, MAIL_VIEWER_PATH } from './sending/mail-viewer.js';
import { startSesEmulator } from './sending/ses-emulator.js';
import { generateSetupCode } from './staff/setup-code.js';
import { createSending, createStores, sesEndpoint } from './stores.js';
import { startWorker } from '../workers/worker.js';

async function main(): Promise<void> {
  // The AWS SDK warns on every start that later versions will want Node 22; Pregón pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const withWorker = !process.argv.includes('--no-worker');
  const logger = pino({ level: config.logLevel });

  await checkRedis(config.redisUrl);
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const redis = commandClient(config.redisUrl);
  const ses = config.ses.mode === 'emulator' ? await startSesEmulator(config.ses.port) : undefined;

  const stores = createStores(database, config);
  await stores.subscribers.backfillEmailHashes();
  const example = await loadExampleBulletin(stores);
  const sending = createSending(stores, config, ses?.url ?? sesEndpoint(config));
  const sesEvents = new SesEvents({
    db: database.db,
    suppressions: stores.suppressions,
    transientBounceLimit: config.transientBounceLimit,
    fetchCertificate: httpsCertificateFetcher,
    confirmSubscription: httpsSubscriptionConfirmer,
    topicArns: config.snsTopicArns,
    logger: logger.child({ component: 'ses-events' }),
  });
  // While no admin exists, this code (printed below) lets the first one be made from the browser.
  const setupCode = (await stores.staff.countAdmins()) === 0 ? generateSetupCode() : undefined;
  const mailbox = developmentMailbox(config.nodeEnv, ses);
  const app = createApp({
    logger,
    health: { dbKind: database.kind, pingDb: () => database.ping(), pingRedis: async () => void (await redis.ping()) },
    stores,
    campaigns: sending.service,
    sesEvents,
    publicUrl: config.publicUrl,
    subscribe: {
      sender: sending.sender,
      redis,
      mailFrom: config.mailFrom,
      rateLimitPrefix: `${config.queuePrefix}:rate-limit`,
    },
    setupCode,
    queues: [sending.queues.campaigns, sending.queues.deliveries],
    mailbox,
  });
  const server = await listen(app, config.port);
  // A CSV import reads its body as fast as it writes rows: give a long file 30 minutes, not
  // Node's default 5 (header timeouts still guard against slow clients).
  server.requestTimeout = 30 * 60_000;
  // An idle connection is closed by whoever reuses it (a proxy, a browser), never first by us: a
  // request sent on a connection the server is just closing is lost (ECONNRESET, or a 502 from
  // the proxy). Node's 5 s is shorter than most clients' idle timeouts; 65 s outlasts the common
  // proxies' 60 s. headersTimeout stays above it, as Node advises.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const worker = withWorker ? await startWorker({ config, logger, stores, sending }) : undefined;

  printBanner(config, database.kind, ses?.url, withWorker, setupCode, mailbox !== undefined);
  if (example) console.log(`\nLoaded the example bulletin "${example.title}" as a draft (id ${example.id}).`);

  const shutdown = async () => {
    logger.info('shutting down: finishing the batches in flight');
    await worker?.close();
    server.closeAllConnections(); // progress streams would otherwise hold the server open
    await new Promise((resolve) => server.close(resolve));
    await sending.close();
    await ses?.close();
    redis.disconnect();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

/** On stdout with console.log, not through the logger, so no LOG_LEVEL can hide the setup code. */
function printBanner(
  config: Config,
  db: string,
  sesUrl: string | undefined,
  worker: boolean,
  setupCode: string | undefined,
  mailViewer: boolean,
): void {
  const lines = [
    `Pregón is listening on ${config.publicUrl} (port ${config.port})`,
    `  database: ${db}${config.database.kind === 'sqlite' ? ` (${config.database.path})` : ''}`,
    `  worker:   ${worker ? 'in this process' : 'separate (npm run worker)'}`,
    `  mail:     ${sesUrl ? 'local SES emulator' : config.ses.mode === 'aws' ? `Amazon SES (${config.sesRegion})` : config.ses.mode === 'endpoint' ? config.ses.url : ''}`,
  ];
  if (sesUrl && mailViewer)
    lines.push(`            read sent mail at ${config.publicUrl}${MAIL_VIEWER_PATH} (signed in)`);
  // Its frame breaks on links to Pregón's pages, which refuse to be framed.
  if (sesUrl)
    lines.push(
      `            ${mailViewer ? 'or' : 'read sent mail'} at ${sesUrl}, the emulator's own viewer (open its links in a new tab)`,
    );
  if (setupCode) {
    lines.push(
      '',
      `First run: open ${config.publicUrl}/admin/setup and enter the code ${setupCode}`,
      'The code works once, and only while this process runs. Or make the first admin, and an API token, with:',
      '  npm run cli -- create-admin --email you@example.org --password "a long passphrase"',
      '  npm run cli -- create-token --name "my script"',
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisUnreachableError) {
    console.error(err.message);
  } else {
    console.error('Pregón could not start:', err);
  }
  process.exit(1);
});
