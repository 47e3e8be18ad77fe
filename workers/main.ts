// `npm run worker`: the worker as its own process, beside one or more web processes.
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { checkRedis, RedisUnreachableError } from '../src/redis.js';
import { PassingThread } from '../src/render/mjml-engine.js';
import { createSending, createStores, sesEndpoint } from '../src/stores.js';
import { startWorker } from './worker.js';

try {
  // The AWS SDK warns on every start that later versions will want Node 22; Pregón pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  await checkRedis(config.redisUrl);
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  // MJML's memory leaves with its thread between campaigns.
  const stores = createStores(database, config, new PassingThread());
  const sending = createSending(stores, config, sesEndpoint(config));
  const worker = await startWorker({ config, logger, stores, sending });
  const stop = async () => {
    logger.info('stopping: finishing the batches in flight');
    await worker.close();
    await sending.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof RedisUnreachableError ? err.message : err);
  process.exit(1);
}
