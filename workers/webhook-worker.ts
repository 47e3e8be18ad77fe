// The worker's webhooks: a loop handing new outbox events to their endpoints every second, a
// minute's sweep for deliveries whose jobs were lost (and for old events), and the BullMQ worker
// making each attempt. Every process running the worker runs them: handing over and sweeping are
// safe to do twice (docs/integrations.md).
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Sender } from '../src/sending/ses-sender.js';
import { mailStaff } from '../src/sending/staff-mail.js';
import type { SettingsStore } from '../src/settings/settings-store.js';
import type { StaffStore } from '../src/staff/staff-store.js';
import type { WebhookEndpoint } from '../src/webhooks/schemas.js';
import type { WebhookDeliverer } from '../src/webhooks/webhook-deliverer.js';
import { WEBHOOKS_QUEUE, type WebhookJob } from '../src/webhooks/webhook-queue.js';
import type { RedisClient } from '../src/redis.js';

/** How often new events are handed over: the longest an event waits before its first attempt. */
export const DISPATCH_INTERVAL_MS = 1000;
const SWEEP_INTERVAL_MS = 60_000;
/** Attempts at once per worker; each waits at most DELIVERY_TIMEOUT_MS on its receiver. */
const CONCURRENCY = 10;

export function webhookWorker(
  deliverer: WebhookDeliverer,
  connection: RedisClient,
  prefix: string,
  logger: Logger,
): { close(): Promise<void> } {
  const worker = new Worker<WebhookJob>(WEBHOOKS_QUEUE, (job) => deliverer.deliver(job.data.deliveryId), {
    connection,
    prefix,
    concurrency: CONCURRENCY,
  });
  worker.on('failed', (job, err) => logger.error({ err, job: job?.id }, 'webhook attempt could not be recorded'));
  worker.on('error', (err) => logger.error({ err }, 'worker error'));

  const every = (ms: number, step: () => Promise<unknown>, failure: string) => {
    let running: Promise<unknown> | undefined;
    const run = () => {
      running ??= step()
        .catch((err: unknown) => logger.error({ err }, failure))
        .finally(() => (running = undefined));
    };
    run();
    const timer = setInterval(run, ms);
    return async () => {
      clearInterval(timer);
      await running;
    };
  };
  const stops = [
    every(DISPATCH_INTERVAL_MS, () => deliverer.dispatch(), 'could not hand webhook events over'),
    every(SWEEP_INTERVAL_MS, () => deliverer.sweep(), 'could not sweep the webhook deliveries'),
  ];
  return {
    async close() {
      await Promise.all(stops.map((stop) => stop()));
      await worker.close();
    },
  };
}

/** Mails every admin that an endpoint was disabled, with where to see its log and enable it again. */
export function mailAdmins(deps: {
  staff: StaffStore;
  settings: SettingsStore;
  sender: Sender;
  mailFrom: string;
  publicUrl: string;
}): (endpoint: WebhookEndpoint) => Promise<void> {
  return async (endpoint) => {
    const admins = (await deps.staff.listUsers()).filter((user) => user.role === 'admin');
    const host = new URL(endpoint.url).host;
    await mailStaff(
      deps,
      await deps.settings.get(),
      admins.map((admin) => admin.email),
      {
        subject: `Webhook endpoint disabled: ${host}`,
        sentence:
          `Every delivery to the webhook endpoint at ${host} has failed for three days, so it is disabled and ` +
          'gets no more events. See its log, and enable it again once it answers:',
        link: `${deps.publicUrl}/admin/settings/webhooks`,
        tags: { webhook: String(endpoint.id) },
      },
    );
  };
}
