// Redis connections. Startup checks Redis once and, when it is not there, says how to start one
// instead of printing a stack trace.
import { Redis, type RedisOptions } from 'ioredis';

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

/** Connects once, without retrying, and throws RedisUnreachableError when Redis does not answer. */
export async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  let cause: unknown;
  probe.on('error', (err) => (cause = err)); // the socket's own error says more than "Connection is closed"
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new RedisUnreachableError(url, cause ?? err);
  } finally {
    probe.disconnect();
  }
}

/**
 * A client for short commands (health checks): while Redis is down a command fails after one
 * reconnection attempt instead of waiting for Redis to come back; the client keeps reconnecting.
 */
export function commandClient(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  client.on('error', () => {}); // reported through the health check, not as an unhandled event
  return client;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** A connection for BullMQ queues and workers: blocking commands must wait, never give up. */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Prefix of the rate limits' counters in Redis (the web's per IP, the worker's on confirmation mails). */
export function rateLimitPrefix(queuePrefix: string): string {
  return `${queuePrefix}:rate-limit`;
}

/**
 * Adds `by` to a counter in a fixed window that starts with its first count and lasts `windowMs`
 * (the subscribe form's and the test copies' limits): the count so far, and the window's time left.
 */
export async function countInWindow(
  redis: Redis,
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
