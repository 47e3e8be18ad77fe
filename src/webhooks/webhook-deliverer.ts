// The worker's side of the webhooks: hand new outbox events to the endpoints, make each delivery's
// attempt (signed per Standard Webhooks), schedule the next one after a failure, queue again what
// Redis lost, and forget old events. An endpoint failing for three days is disabled and the
// admins are told (by mail, as the worker wires it).
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { RETRY_DELAYS_MS, type WebhookQueue } from './webhook-queue.js';
import type { WebhookEndpoint } from './schemas.js';
import { messageId, WEBHOOK_LOG_DAYS, type Attempt, type WebhookStore } from './webhook-store.js';

/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A pending delivery this far past its time has lost its job. */
const OVERDUE_MS = 60_000;
/** What of a failing receiver's answer the log keeps. */
const ERROR_CHARS = 200;

export interface WebhookDelivererDeps {
  webhooks: WebhookStore;
  queue: WebhookQueue;
  /** Tells the admins an endpoint was disabled; what goes wrong telling them is theirs to log. */
  tellAdmins(endpoint: WebhookEndpoint): Promise<void>;
  logger: Logger;
  /** The waits between attempts; RETRY_DELAYS_MS unless a test needs them short. */
  retryDelaysMs?: readonly number[];
}

export class WebhookDeliverer {
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly deps: WebhookDelivererDeps) {
    this.retryDelaysMs = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
  }

  /** Hands new events to their endpoints and queues the deliveries; says how many it made. */
  async dispatch(): Promise<number> {
    const made = await this.deps.webhooks.dispatch();
    await this.deps.queue.add(made);
    return made.length;
  }

  /** Queues again the deliveries whose jobs were lost, and forgets events past the log's days. */
  async sweep(): Promise<void> {
    const { webhooks, queue, logger } = this.deps;
    await queue.add(await webhooks.overdue(new Date(Date.now() - OVERDUE_MS).toISOString()));
    const pruned = await webhooks.prune(new Date(Date.now() - WEBHOOK_LOG_DAYS * 24 * 3600_000).toISOString());
    if (pruned) logger.info({ pruned }, 'old webhook events forgotten');
  }

  /** One attempt of a delivery; nothing when it is no longer pending (made, erased, deleted). */
  async deliver(deliveryId: number): Promise<void> {
    const { webhooks } = this.deps;
    const attempt = await webhooks.attempt(deliveryId);
    if (!attempt) return;
    if (!attempt.enabled) return webhooks.skip(deliveryId);
    const outcome = await post(attempt);
    if (outcome.ok) return webhooks.delivered(deliveryId, outcome.responseCode);
    const delay = this.retryDelaysMs[attempt.attempts];
    const nextAttemptAt = delay === undefined ? null : new Date(Date.now() + delay).toISOString();
    const failed = await webhooks.failed(deliveryId, { ...outcome, nextAttemptAt });
    if (!failed) return;
    if (failed.disabledNow) {
      this.deps.logger.warn(
        { endpointId: failed.endpoint.id },
        'webhook endpoint disabled after three days of failures',
      );
      await this.deps.tellAdmins(failed.endpoint);
    } else if (delay !== undefined)
      await this.deps.queue.add([{ id: deliveryId, attempts: attempt.attempts + 1 }], delay);
  }
}

type Outcome = { ok: true; responseCode: number } | { ok: false; responseCode: number | null; error: string };

/** POSTs the event, signed; a redirect is a failure (it is never followed). */
async function post(attempt: Attempt): Promise<Outcome> {
  const id = messageId(attempt.eventId);
  const sentAt = new Date();
  const signature = new Webhook(attempt.secret).sign(id, sentAt, attempt.payload);
  try {
    const response = await fetch(attempt.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Pregon-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: attempt.payload,
    });
    const said = (await startOf(response)).trim().slice(0, ERROR_CHARS);
    if (response.status >= 200 && response.status < 300) return { ok: true, responseCode: response.status };
    return { ok: false, responseCode: response.status, error: `HTTP ${response.status}${said ? `: ${said}` : ''}` };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const error = timedOut ? `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `Could not connect: ${reason(err)}`;
    return { ok: false, responseCode: null, error };
  }
}

/** The first bytes of the answer, read no further: a receiver cannot make the worker read gigabytes. */
async function startOf(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  try {
    const { value } = await reader.read();
    return value ? new TextDecoder().decode(value.subarray(0, ERROR_CHARS * 4)) : '';
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** A fetch failure's cause, e.g. "connect ECONNREFUSED 127.0.0.1:4000". */
function reason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
