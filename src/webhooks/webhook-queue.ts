// The queue of webhook deliveries, run by the worker: one job per attempt, delayed until the
// attempt's time. The database is what counts (webhook_deliveries: status, attempts, next try):
// a job's id names its delivery and attempt, so the sweep adding it again after Redis lost it, or a
// second worker handing over the same event, adds it once.
import { Queue, type JobsOptions } from 'bullmq';
import type { DueDelivery } from './webhook-store.js';
import type { RedisClient } from '../redis.js';

export const WEBHOOKS_QUEUE = 'webhooks';

export interface WebhookJob {
  deliveryId: number;
}

/**
 * The waits before each retry: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 8 h and 8 h, nine attempts
 * over 23.6 hours. Then the delivery has failed for good.
 */
export const RETRY_DELAYS_MS = [5, 60, 300, 1800, 7200, 18_000, 28_800, 28_800].map((s) => s * 1000);

/** Jobs hold only a delivery id; the log is in the database, so they leave Redis once run. */
const JOB = { removeOnComplete: true, removeOnFail: true } satisfies JobsOptions;

export class WebhookQueue {
  readonly queue: Queue<WebhookJob>;

  constructor(connection: RedisClient, prefix: string) {
    this.queue = new Queue<WebhookJob>(WEBHOOKS_QUEUE, { connection, prefix });
    // As the other queues: Redis away is reported by the health check, not by every reconnection.
    this.queue.on('error', () => {});
  }

  /** Queues the next attempt of each delivery, `delayMs` from now. */
  async add(deliveries: readonly DueDelivery[], delayMs = 0): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map(({ id, attempts }) => ({
        name: 'deliver',
        data: { deliveryId: id },
        opts: { ...JOB, jobId: `delivery-${id}-${attempts}`, delay: delayMs },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
