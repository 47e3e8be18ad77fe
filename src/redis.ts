// Redis connections, to one server or (REDIS_CLUSTER=true) to a Redis Cluster. Startup checks Redis
// once and, when it is not there, says how to start one instead of printing a stack trace.
import { Cluster, Redis, ReplyError, type ClusterOptions, type RedisOptions } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { ConfigError } from './config.js';

/**
 * A connection to one Redis or to a cluster. On a cluster every key Pregón writes starts with the
 * hash-tagged QUEUE_PREFIX, so that a MULTI or a script over several keys stays in one slot.
 */
export type RedisClient = Redis | Cluster;

export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
  constructor(url: string, cause: unknown) {
    super(
      [
        `Cannot reach Redis at ${redactUrl(url)} (${(cause as Error)?.message ?? cause}).`,
        'Pregón needs Redis 6.2 or newer. Start one with:',
        '  redis-server',
        'or, with Docker:',
        '  docker compose up -d redis',
        'or point REDIS_URL at yours.',
      ].join('\n'),
    );
  }
}

/**
 * Connects once (to each of a cluster's listed nodes until one answers), without retrying, and
 * throws RedisUnreachableError when Redis does not answer. A Redis that is a cluster's node while
 * `cluster` is false, or the reverse, or a cluster whose state is not ok, is a ConfigError.
 */
export async function checkRedis(url: string, cluster = false): Promise<void> {
  let unreachable: unknown;
  for (const node of cluster ? nodeUrls(url) : [url]) {
    const probe = new Redis(node, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 3000,
    });
    let cause: unknown;
    probe.on('error', (err) => (cause = err)); // the socket's own error says more than "Connection is closed"
    let problem: string | undefined;
    try {
      await probe.connect();
      await probe.ping();
      problem = await clusterModeProblem(probe, node, cluster);
    } catch (err) {
      unreachable = cause ?? err;
      continue;
    } finally {
      probe.disconnect();
    }
    if (problem) throw new ConfigError(problem);
    return;
  }
  throw new RedisUnreachableError(url, unreachable);
}

/** Why this node does not fit REDIS_CLUSTER; undefined when it does. */
async function clusterModeProblem(probe: Redis, url: string, cluster: boolean): Promise<string | undefined> {
  // A managed Redis may refuse INFO (an error reply): then nothing more is known, and nothing is refused.
  const info = await probe.info('cluster').catch((err: unknown) => {
    if (err instanceof ReplyError) return undefined;
    throw err;
  });
  if (info === undefined) return undefined;
  const enabled = /^cluster_enabled:1/m.test(info);
  if (enabled && !cluster) return `REDIS_URL: ${redactUrl(url)} is a node of a Redis Cluster: set REDIS_CLUSTER=true.`;
  if (!enabled && cluster) {
    return `REDIS_CLUSTER: ${redactUrl(url)} is not a node of a Redis Cluster: leave REDIS_CLUSTER unset.`;
  }
  if (!cluster) return undefined;
  const state = /^cluster_state:(\w+)/m.exec(await probe.cluster('INFO'))?.[1];
  return state === 'ok' ? undefined : `The Redis Cluster of ${redactUrl(url)} is not ready (cluster_state:${state}).`;
}

/**
 * A client for short commands (health checks, rate limits, presence): while Redis is down a
 * command fails after one reconnection attempt instead of waiting for Redis to come back; the
 * client keeps reconnecting.
 */
export function commandClient(url: string, cluster = false): RedisClient {
  const client = connect(url, cluster, { maxRetriesPerRequest: 1 });
  client.on('error', () => {}); // reported through the health check, not as an unhandled event
  return client;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/g, '//$1:***@');
}

/** A connection for BullMQ queues and workers: blocking commands must wait, never give up. */
export function bullConnection(url: string, cluster = false): RedisClient {
  return connect(url, cluster, { maxRetriesPerRequest: null });
}

function connect(url: string, cluster: boolean, options: RedisOptions): RedisClient {
  if (!cluster) return new Redis(url, options);
  const urls = nodeUrls(url).map((node) => new URL(node));
  const nodes = urls.map(({ hostname, port }) => ({
    host: hostname.replace(/^\[(.*)\]$/, '$1'), // an IPv6 address without its brackets
    port: Number(port || 6379),
  }));
  // Every node, those the cluster names too, is reached with the first URL's user, password and TLS.
  const first = urls[0]!;
  const redisOptions: RedisOptions = {
    ...options,
    username: decodeURIComponent(first.username) || undefined,
    password: decodeURIComponent(first.password) || undefined,
    tls: first.protocol === 'rediss:' ? {} : undefined,
  };
  // The slot map is read again after a failover or a MOVED; a machine under load may take longer
  // than ioredis's 1 s to answer, which it logs as an error before it tries again.
  const clusterOptions: ClusterOptions = { redisOptions, slotsRefreshTimeout: 5000 };
  return new Cluster(nodes, clusterOptions);
}

/** REDIS_URL's nodes, for a cluster: one or more URLs separated by commas. */
function nodeUrls(url: string): string[] {
  return url
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
}

/** Prefix of the rate limits' counters in Redis (the web's per IP, the worker's on confirmation mails). */
export function rateLimitPrefix(queuePrefix: string): string {
  return `${queuePrefix}:rate-limit`;
}

/**
 * express-rate-limit's counters in Redis, under `prefix`. Its scripts are loaded by SCRIPT LOAD,
 * which a cluster runs on one node only: there they are loaded on every master, so that EVALSHA
 * finds them on whichever node holds the key.
 */
export function rateLimitStore(redis: RedisClient, prefix: string): RedisStore {
  return new RedisStore({
    prefix,
    sendCommand: async (command: string, ...args: string[]) => {
      if (!(redis instanceof Cluster) || command.toUpperCase() !== 'SCRIPT') {
        return (await redis.call(command, ...args)) as RedisReply;
      }
      const reply = await redis.call(command, ...args); // waits for the cluster, which then knows its masters
      await Promise.all(redis.nodes('master').map((node) => node.call(command, ...args)));
      return reply as RedisReply;
    },
  });
}

/**
 * Adds `by` to a counter in a fixed window that starts with its first count and lasts `windowMs`
 * (the subscribe form's and the test copies' limits): the count so far, and the window's time left.
 */
export async function countInWindow(
  redis: RedisClient,
  key: string,
  windowMs: number,
  by = 1,
): Promise<{ count: number; msLeft: number }> {
  const replies = await redis.multi().set(key, 0, 'PX', windowMs, 'NX').incrby(key, by).pttl(key).exec();
  if (!replies) throw new Error('the Redis transaction was aborted');
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return { count: Number(replies[1]![1]), msLeft: Math.max(0, Number(replies[2]![1])) };
}
