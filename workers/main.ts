// `npm run worker`: the worker as its own process, for running several beside one web process.
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import { checkRedis, RedisUnreachableError } from '../src/redis.js';
import { startWorker } from './worker.js';

try {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  await checkRedis(config.redisUrl);
  const worker = await startWorker({ config, logger });
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof RedisUnreachableError ? err.message : err);
  process.exit(1);
}
