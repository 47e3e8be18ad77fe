// The two BullMQ queues of sending: `campaigns` runs a campaign's start (delayed until its
// time), `deliveries` runs its batches under the global rate limiter. Job ids are
// deterministic, so adding a job twice (a retried start, a second worker) adds it once.
import { randomUUID } from 'node:crypto';
import { Queue, type JobType, type JobsOptions } from 'bullmq';
import type { CampaignPriority } from './campaign-states.js';
import type { RedisClient } from '../redis.js';

export const CAMPAIGNS_QUEUE = 'campaigns';
export const DELIVERIES_QUEUE = 'deliveries';

export interface StartJob {
  campaignId: number;
}

/**
 * Batch size and limiter for a send rate (messages per second): batches of up to 50 rows, sent
 * in parallel, and one batch per `duration` across every worker (BullMQ's global limiter).
 */
export function pacing(rate: number): { batchSize: number; limiter: { max: number; duration: number } } {
  const batchSize = Math.max(1, Math.min(50, Math.floor(rate)));
  return { batchSize, limiter: { max: 1, duration: Math.ceil((1000 * batchSize) / rate) } };
}

export interface BatchJob {
  campaignId: number;
  /** The campaign's run: a resume or a retry starts a new one, with new job ids. */
  run: number;
  fromId: number;
  toId: number;
}

/**
 * The BullMQ priority of a campaign's batch jobs (lower runs first). Every batch has one: BullMQ takes
 * a job without a priority before all prioritized ones, so a normal batch left unprioritized would
 * still go before an urgent one. Within a priority, jobs run in the order they were added; a batch
 * back from a delay (a throttling backoff, the quota's wait) joins the end of its priority's line.
 */
export const BATCH_PRIORITY = { urgent: 1, normal: 2 } as const satisfies Record<CampaignPriority, number>;

/** A start that fails is tried again after 1 s, 2 s and 4 s; then the campaign is 'failed'. */
export const START_ATTEMPTS = 4;
/** A throttled batch is tried this many times (backoff 1 s doubling to 60 s: about 45 minutes). */
export const BATCH_ATTEMPTS = 50;
const ADD_BULK_CHUNK = 500;

const keep = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } } satisfies JobsOptions;
/** The states of a job still to run, or running. */
const PENDING: JobType[] = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'];

export class SendQueues {
  readonly campaigns: Queue<StartJob>;
  readonly deliveries: Queue<BatchJob>;

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    /**
     * How long adding a start job waits for Redis. A late add stays queued in the connection and
     * runs if Redis comes back; the worker's sweep covers the rest.
     */
    private readonly startWaitMs: number,
  ) {
    this.campaigns = new Queue<StartJob>(CAMPAIGNS_QUEUE, { connection, prefix });
    this.deliveries = new Queue<BatchJob>(DELIVERIES_QUEUE, { connection, prefix });
    // Redis away: the health check and the worker's log say so, and each command fails or waits on
    // its own; a queue no one listens to prints every failed reconnection to stderr, stack and all.
    for (const queue of [this.campaigns, this.deliveries]) queue.on('error', () => {});
  }

  /**
   * Starts run `run` of a campaign at `at`: run 0 prepares it; later runs (resume, retry, the
   * sweep) queue its rows again. Says whether Redis took the job within `startWaitMs`; when it did
   * not, the worker's sweep queues the start.
   */
  async scheduleStart(campaignId: number, at: Date, run = 0): Promise<boolean> {
    return this.withinStartWait(
      this.campaigns.add(
        'start',
        { campaignId },
        {
          ...keep,
          jobId: startJobId(campaignId, run),
          delay: Math.max(0, at.getTime() - Date.now()),
          attempts: START_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
        },
      ),
    );
  }

  /** Moves a campaign's first start while it waits. */
  async reschedule(campaignId: number, at: Date): Promise<void> {
    const job = await this.campaigns.getJob(startJobId(campaignId, 0));
    if (job && (await job.isDelayed())) await job.changeDelay(Math.max(0, at.getTime() - Date.now()));
    else if (!job) await this.scheduleStart(campaignId, at);
  }

  /**
   * Takes a cancelled campaign's first start off the queue, waiting for Redis at most `startWaitMs`:
   * a start left there finds the campaign cancelled and does nothing.
   */
  async removeStart(campaignId: number): Promise<void> {
    await this.withinStartWait(
      (async () => {
        const job = await this.campaigns.getJob(startJobId(campaignId, 0));
        if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove();
      })(),
    );
  }

  /**
   * Waits for `command` at most `startWaitMs`; says whether it succeeded by then (one that failed
   * did not). A command still waiting for Redis stays queued in the connection, and runs when
   * Redis answers.
   */
  private async withinStartWait(command: Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, this.startWaitMs, false)));
    try {
      return await Promise.race([
        command.then(
          () => true,
          () => false,
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Queues a run's batches, at the campaign's priority: an urgent one's go before normal ones waiting. */
  async enqueueBatches(
    campaignId: number,
    run: number,
    batches: readonly { fromId: number; toId: number }[],
    priority: CampaignPriority = 'normal',
  ): Promise<void> {
    for (let i = 0; i < batches.length; i += ADD_BULK_CHUNK) {
      await this.deliveries.addBulk(
        batches.slice(i, i + ADD_BULK_CHUNK).map(({ fromId, toId }) => ({
          name: 'batch',
          data: { campaignId, run, fromId, toId },
          opts: {
            ...keep,
            jobId: batchJobId(campaignId, run, fromId),
            priority: BATCH_PRIORITY[priority],
            attempts: BATCH_ATTEMPTS,
            backoff: { type: 'capped' },
          },
        })),
      );
    }
  }

  /**
   * Queues the batch of one row: the welcome mail of someone who has just confirmed. Says whether
   * Redis took it within `startWaitMs`; when it did not, the worker's sweep queues the row.
   */
  async enqueueDelivery(delivery: {
    campaignId: number;
    run: number;
    priority: CampaignPriority;
    deliveryId: number;
  }): Promise<boolean> {
    const { campaignId, run, priority, deliveryId } = delivery;
    const batch = { fromId: deliveryId, toId: deliveryId };
    return this.withinStartWait(this.enqueueBatches(campaignId, run, [batch], priority));
  }

  /**
   * The campaigns with a start or batch job waiting, delayed or running. The start jobs are read
   * first: a start adds its batches before it completes, so a campaign moving from one to the
   * other is seen in one or the other.
   */
  async pendingCampaigns(): Promise<Set<number>> {
    const ids = [
      ...(await this.campaigns.getRanges(PENDING, 0, -1)),
      ...(await this.deliveries.getRanges(PENDING, 0, -1)),
    ];
    return new Set(ids.flatMap((id) => campaignOfJob(id) ?? []));
  }

  /**
   * Takes the lock `name` for `ms` unless another process holds it; returns how to give it back.
   * It expires on its own should its holder die.
   */
  async lock(name: string, ms: number): Promise<(() => Promise<void>) | undefined> {
    const key = `${this.prefix}:lock:${name}`;
    const holder = randomUUID();
    if ((await this.connection.set(key, holder, 'PX', ms, 'NX')) !== 'OK') return undefined;
    return async () => {
      // Only our own: past its time the lock may be another's.
      await this.connection.eval(RELEASE_LOCK, 1, key, holder);
    };
  }

  /** Holds every worker's next batch for `ms` from now (BullMQ's global limiter), to slow the pace. */
  async holdDeliveries(ms: number): Promise<void> {
    await this.deliveries.rateLimit(ms);
  }

  async close(): Promise<void> {
    await Promise.all([this.campaigns.close(), this.deliveries.close()]);
  }
}

function startJobId(campaignId: number, run: number): string {
  return `start-${campaignId}-${run}`;
}

function batchJobId(campaignId: number, run: number, fromId: number): string {
  return `batch-${campaignId}-${run}-${fromId}`;
}

/** The campaign a job id names: `start-<campaign>-<run>` or `batch-<campaign>-<run>-<first row>`. */
function campaignOfJob(jobId: string): number | undefined {
  const match = /^(?:start|batch)-(\d+)-/.exec(jobId);
  return match ? Number(match[1]) : undefined;
}

const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** The 'capped' backoff of batch jobs: 1 s, 2 s, 4 s … up to a minute. A pure function. */
export function cappedBackoff(attemptsMade: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
}
