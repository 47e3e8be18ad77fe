// `npm run worker`: the worker as its own process, beside one or more web processes; it renders
// MJML in passing threads, so that MJML's memory leaves between campaigns.
import { compose } from '../src/compose.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { RedisUnreachableError } from '../src/redis.js';
import { PassingThread } from '../src/render/mjml-engine.js';

try {
  // The AWS SDK warns on every start that later versions will want Node 22; Pregón pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const worker = await compose(config, { web: false, mjml: new PassingThread() });
  const stop = async () => {
    worker.logger.info('stopping: finishing the batches in flight');
    await worker.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof RedisUnreachableError ? err.message : err);
  process.exit(1);
}
