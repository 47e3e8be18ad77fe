// The worker side of Pregón: the BullMQ workers that start campaigns and send their batches, and
// the one that records subscribe requests and mails their confirmations. `npm start` runs it
// in-process; `npm run worker` runs it alone, as many times as wanted.
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config.js';
import { isDatabaseUnavailable } from '../src/db/errors.js';
import { bullConnection, rateLimitPrefix, type RedisClient } from '../src/redis.js';
import { AdaptivePace } from '../src/sending/adaptive-pace.js';
import { CampaignRunner } from '../src/sending/campaign-runner.js';
import { QueueSweep } from '../src/sending/queue-sweep.js';
import { QuotaExceededError } from '../src/sending/send-errors.js';
import {
  CAMPAIGNS_QUEUE,
  DELIVERIES_QUEUE,
  cappedBackoff,
  pacing,
  type BatchJob,
  type StartJob,
} from '../src/sending/send-queues.js';
import type { Sending, Stores } from '../src/stores.js';
import { ConfirmationLimiter } from '../src/supporters/confirmation-limits.js';
import { CONFIRMATIONS_QUEUE, type ConfirmationJob } from '../src/supporters/confirmation-queue.js';
import { ConfirmationWaits, Confirmations } from '../src/supporters/confirmations.js';
import { WebhookDeliverer } from '../src/webhooks/webhook-deliverer.js';
import { mailAdmins, webhookWorker } from './webhook-worker.js';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  sending: Sending;
}

export interface RunningWorker {
  /** Lets running batches finish, then disconnects: no row is left half-done. */
  close(): Promise<void>;
}

/** Messages per second when neither SES_MAX_SEND_RATE nor a real SES account says. */
export const DEFAULT_SEND_RATE = 200;
/** Batch jobs one worker runs at once; each sends its rows ten at a time (SENDS_AT_ONCE in the runner). */
export const BATCH_CONCURRENCY = 3;
/** How long a batch waits when the daily quota is spent. */
const QUOTA_WAIT_MS = 60 * 60_000;
/** How long a start waits before trying again when the database is away. */
const DATABASE_WAIT_MS = 2000;
/** How often the worker looks for campaigns whose jobs Redis lost (and once at its start). */
const SWEEP_INTERVAL_MS = 60_000;
/** How often the worker forgets audit entries past AUDIT_RETENTION_DAYS (and once at its start). */
const AUDIT_PRUNE_INTERVAL_MS = 60 * 60_000;

export async function startWorker({ config, logger, stores, sending }: WorkerDeps): Promise<RunningWorker> {
  const rate =
    config.sesMaxSendRate ??
    (config.ses.mode === 'aws' ? ((await sending.sender.maxSendRate()) ?? 1) : DEFAULT_SEND_RATE);
  const { batchSize, limiter } = pacing(rate);
  const runner = new CampaignRunner({
    ...stores,
    queues: sending.queues,
    sender: sending.sender,
    bulkSender: config.sesSendMode === 'bulk' ? sending.sender : undefined,
    logger,
    publicUrl: config.publicUrl,
    mailFrom: config.mailFrom,
    sendErrorLimit: config.sendErrorLimit,
    batchSize,
    pace: new AdaptivePace(limiter.duration),
  });
  const connection = bullConnection(config.redisUrl, config.redisCluster);
  const prefix = config.queuePrefix;

  const starts = new Worker<StartJob>(
    CAMPAIGNS_QUEUE,
    async (job, token) => {
      try {
        await runner.start(job.data.campaignId);
      } catch (err) {
        // The database away (restarting, locked) is waited out without spending the start's
        // attempts: spent, the campaign would stay 'scheduled', since 'failed' cannot be written either.
        if (isDatabaseUnavailable(err) && token) await tryAgainLater(job, token, DATABASE_WAIT_MS);
        throw err;
      }
    },
    { connection, prefix, concurrency: 2 },
  );
  const batches = new Worker<BatchJob>(
    DELIVERIES_QUEUE,
    async (job, token) => {
      try {
        await runner.sendBatch(job.data, `${job.id}#${token}`);
      } catch (err) {
        if (err instanceof QuotaExceededError && token) await tryAgainLater(job, token, QUOTA_WAIT_MS);
        throw err;
      }
    },
    {
      connection,
      prefix,
      concurrency: BATCH_CONCURRENCY,
      limiter,
      // A batch takes seconds; a worker that stops renewing its lock for 15 s is gone, and its
      // batch runs again within 5 s more (its in-flight rows become 'unknown', never re-sent).
      lockDuration: 15_000,
      stalledInterval: 5_000,
      maxStalledCount: 1000,
      settings: { backoffStrategy: (attemptsMade: number) => cappedBackoff(attemptsMade) },
    },
  );
  batches.on('failed', (job, err) => {
    if (!job || err instanceof DelayedError || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    runner
      .giveUp(job.data, err.message)
      .catch((e: unknown) => logger.error({ err: e }, 'could not record a batch given up'));
  });
  starts.on('failed', (job, err) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    // A campaign that cannot even be prepared (its bulletin version gone, its rule unreadable)
    // ends 'failed' with the reason, rather than waiting forever.
    stores.campaigns
      .fail(job.data.campaignId, `Could not prepare: ${err.message}`)
      .catch((e: unknown) => logger.error({ err: e }, 'could not record a campaign that failed'));
  });
  const confirmations = confirmationWorker(
    new Confirmations({
      ...stores,
      sender: sending.sender,
      limiter: new ConfirmationLimiter(connection, rateLimitPrefix(prefix), config.confirmationLimits),
      publicUrl: config.publicUrl,
      mailFrom: config.mailFrom,
      logger,
    }),
    connection,
    prefix,
    logger,
  );
  await sending.confirmations.scheduleExpiry();
  const webhooks = webhookWorker(
    new WebhookDeliverer({
      webhooks: stores.webhooks,
      queue: sending.webhooks,
      tellAdmins: mailAdmins({
        ...stores,
        sender: sending.sender,
        mailFrom: config.mailFrom,
        publicUrl: config.publicUrl,
      }),
      logger,
    }),
    connection,
    prefix,
    logger,
  );
  for (const worker of [starts, batches]) worker.on('error', (err) => logger.error({ err }, 'worker error'));
  logger.info({ rate, batchSize, limiter }, 'worker started');

  const sweep = new QueueSweep({ ...stores, queues: sending.queues, logger });
  let sweeping: Promise<unknown> | undefined;
  const sweepNow = () => {
    // One sweep at a time in a process; one across processes is the sweep's own lock.
    sweeping ??= sweep
      .sweep()
      .catch((err: unknown) => logger.error({ err }, 'could not sweep the queues'))
      .finally(() => (sweeping = undefined));
  };
  sweepNow();
  const sweeps = setInterval(sweepNow, SWEEP_INTERVAL_MS);

  // Every worker prunes: a DELETE by time is idempotent, so two at once do no harm.
  let pruning: Promise<unknown> | undefined;
  const pruneNow = () => {
    pruning ??= stores.audit
      .prune(config.auditRetentionDays)
      .then((pruned) => pruned > 0 && logger.info({ pruned }, 'audit entries past their retention forgotten'))
      .catch((err: unknown) => logger.error({ err }, 'could not prune the audit trail'))
      .finally(() => (pruning = undefined));
  };
  pruneNow();
  const prunes = setInterval(pruneNow, AUDIT_PRUNE_INTERVAL_MS);

  return {
    async close() {
      clearInterval(sweeps);
      clearInterval(prunes);
      await Promise.all([sweeping, pruning]);
      await Promise.all([starts.close(), batches.close(), confirmations.close(), webhooks.close()]);
      connection.disconnect();
    },
  };
}

/**
 * Runs the confirmation queue's jobs: a subscribe request, a new link, a confirmation staff asked
 * for, the hourly sweep. One that waits for the next hour's limits is put back; each failed
 * attempt is logged; the person who asked already has their page.
 */
export function confirmationWorker(
  confirmations: Confirmations,
  connection: RedisClient,
  prefix: string,
  logger: Logger,
): Worker<ConfirmationJob> {
  const worker = new Worker<ConfirmationJob>(
    CONFIRMATIONS_QUEUE,
    async (job, token) => {
      try {
        await confirmations.run(job.data);
      } catch (err) {
        if (err instanceof ConfirmationWaits && token) await tryAgainLater(job, token, err.ms);
        throw err;
      }
    },
    { connection, prefix, concurrency: 2 },
  );
  worker.on('failed', (job, err) => {
    if (!(err instanceof DelayedError)) logger.error({ err, job: job?.name }, 'confirmation mail failed');
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  return worker;
}

/** Puts the job back to run again in `ms`, without spending one of its attempts. */
async function tryAgainLater(job: Job, token: string, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
