// The queue of the double opt-in's work, run by the worker: recording what the subscribe form
// asked for and mailing its confirmation, mailing a new link, mailing the confirmation of someone
// staff added as pending, and sweeping away what was never confirmed. The form only adds a job,
// so its answer costs the same whoever the address belongs to.
import { Queue, type JobsOptions } from 'bullmq';
import type { SubscriptionRequest } from './subscription-store.js';
import type { RedisClient } from '../redis.js';

export const CONFIRMATIONS_QUEUE = 'confirmations';

export type ConfirmationJob =
  /** A post of the subscribe form, as it was read. */
  | { kind: 'request'; request: SubscriptionRequest }
  /** "Send me a new link", from an expired confirmation link. */
  | { kind: 'resend'; link: { id: number; requestId?: number } }
  /** A pending subscriber staff added (the API, an import) or asked to mail again. The id only, no address. */
  | { kind: 'confirm'; id: number }
  | { kind: 'expire' };

/** Jobs added in one round trip to Redis: an import of 100,000 pending subscribers makes 100 of them. */
export const CONFIRM_JOBS_PER_ADD = 1000;

/** How often the worker deletes what was never confirmed. */
export const EXPIRY_EVERY_MS = 3600_000;

/**
 * A job that fails (the database or SES away) is tried again after 5 s and 10 s. The job holds an
 * address: it leaves Redis once done, failed or not (a failure is logged, without the address).
 */
const MAIL_JOB = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: true,
  removeOnFail: true,
} satisfies JobsOptions;

export class ConfirmationQueue {
  readonly queue: Queue<ConfirmationJob>;

  constructor(connection: RedisClient, prefix: string) {
    this.queue = new Queue<ConfirmationJob>(CONFIRMATIONS_QUEUE, { connection, prefix });
    // As the sending queues: Redis away is reported by the health check, not by every reconnection.
    this.queue.on('error', () => {});
  }

  async request(request: SubscriptionRequest): Promise<void> {
    await this.queue.add('request', { kind: 'request', request }, MAIL_JOB);
  }

  async resend(link: { id: number; requestId?: number }): Promise<void> {
    await this.queue.add('resend', { kind: 'resend', link }, MAIL_JOB);
  }

  /** Mails the confirmation of each of these pending subscribers, in as few round trips as it takes. */
  async confirm(ids: readonly number[]): Promise<void> {
    for (let at = 0; at < ids.length; at += CONFIRM_JOBS_PER_ADD) {
      const part = ids.slice(at, at + CONFIRM_JOBS_PER_ADD);
      await this.queue.addBulk(part.map((id) => ({ name: 'confirm', data: { kind: 'confirm', id }, opts: MAIL_JOB })));
    }
  }

  /** Sweeps every hour on one worker, however many start (one scheduler per installation). */
  async scheduleExpiry(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'expire',
      { every: EXPIRY_EVERY_MS },
      {
        name: 'expire',
        data: { kind: 'expire' },
        opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 24 } },
      },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
