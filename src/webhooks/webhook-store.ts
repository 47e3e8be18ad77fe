// The webhook endpoints, the hand-over of outbox events to them, and the delivery log: one row per
// event and endpoint, which the worker's attempts update (docs/integrations.md).
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { nowIso, parseJson, type Tables, type WebhookEndpointsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import { TEST_EVENT_TYPE, type WebhookEventType } from './event-types.js';
import type { WebhookDelivery, WebhookEndpoint } from './schemas.js';

/** An endpoint failing this long, with no success between, is disabled and admins are told. */
export const DISABLE_AFTER_MS = 3 * 24 * 3600_000;
/** Events (and their deliveries) are kept this long once every delivery of them has ended. */
export const WEBHOOK_LOG_DAYS = 7;
/** Deliveries the log shows per endpoint. */
const LOG_LENGTH = 100;
/** Events handed over in one step of the worker's loop. */
const DISPATCH_BATCH = 500;

/** What one attempt needs: the body, where it goes and the key that signs it. */
export interface Attempt {
  deliveryId: number;
  eventId: number;
  attempts: number;
  payload: string;
  url: string;
  secret: string;
  enabled: boolean;
}

/** A delivery to make now: its id and how many attempts it has had. */
export interface DueDelivery {
  id: number;
  attempts: number;
}

export class WebhookStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async list(): Promise<WebhookEndpoint[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async get(id: number): Promise<WebhookEndpoint> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return toEndpoint(row);
  }

  /** Adds an endpoint with a new secret, returned with it this once. */
  async create(input: {
    url: string;
    description: string;
    events: readonly WebhookEventType[];
  }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const now = nowIso();
    const row = await this.db
      .insertInto('webhook_endpoints')
      .values({ ...input, events: JSON.stringify(input.events), secret, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { endpoint: toEndpoint(row), secret };
  }

  /** Changes an endpoint; enabling it again forgets its run of failures. */
  async update(
    id: number,
    change: { url?: string; description?: string; events?: readonly WebhookEventType[]; enabled?: boolean },
  ): Promise<WebhookEndpoint> {
    const { events, enabled, ...rest } = change;
    const row = await this.db
      .updateTable('webhook_endpoints')
      .set({
        ...rest,
        ...(events ? { events: JSON.stringify(events) } : {}),
        ...(enabled === undefined
          ? {}
          : enabled
            ? { enabled: 1, disabled_reason: null, failing_since: null }
            : { enabled: 0, disabled_reason: 'Disabled by an admin' }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return toEndpoint(row);
  }

  /** Deletes an endpoint and its delivery log; returns what it was. */
  async delete(id: number): Promise<WebhookEndpoint> {
    const row = await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound(id);
    return toEndpoint(row);
  }

  /** The endpoint's latest deliveries, newest first. */
  async deliveries(endpointId: number): Promise<WebhookDelivery[]> {
    await this.get(endpointId);
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select([
        'd.id',
        'e.id as eventId',
        'e.type',
        'd.status',
        'd.attempts',
        'd.response_code as responseCode',
        'd.last_error as lastError',
        'd.next_attempt_at as nextAttemptAt',
        'd.created_at as createdAt',
        'd.updated_at as updatedAt',
      ])
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.id', 'desc')
      .limit(LOG_LENGTH)
      .execute();
    return rows.map((row) => ({ ...row, messageId: messageId(row.eventId) }));
  }

  /**
   * Hands the oldest events not handed over yet to every enabled endpoint that takes their type:
   * a pending delivery each. Two workers doing it at once make each delivery once (unique per event
   * and endpoint). Returns the deliveries made, to queue.
   */
  async dispatch(): Promise<DueDelivery[]> {
    return this.db.transaction().execute(async (trx) => {
      const events = await trx
        .selectFrom('webhook_events')
        .select(['id', 'type'])
        .where('dispatched_at', 'is', null)
        .orderBy('id')
        .limit(DISPATCH_BATCH)
        .execute();
      if (events.length === 0) return [];
      const endpoints = await trx
        .selectFrom('webhook_endpoints')
        .select(['id', 'events'])
        .where('enabled', '=', 1)
        .execute();
      const now = nowIso();
      const rows = events.flatMap((event) =>
        endpoints
          .filter((endpoint) => parseJson<string[]>(endpoint.events).includes(event.type))
          .map((endpoint) => ({
            endpoint_id: endpoint.id,
            event_id: event.id,
            status: 'pending' as const,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          })),
      );
      const made = rows.length
        ? await trx
            .insertInto('webhook_deliveries')
            .values(rows)
            .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
            .returning(['id', 'attempts'])
            .execute()
        : [];
      await trx
        .updateTable('webhook_events')
        .set({ dispatched_at: now })
        .where(
          'id',
          'in',
          events.map((event) => event.id),
        )
        .execute();
      return made;
    });
  }

  /** "Send a test event": an event for this endpoint alone, handed over at once. */
  async testEvent(endpointId: number): Promise<DueDelivery> {
    await this.get(endpointId);
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const data = { message: 'A test event from Pregón. If you can read this, your endpoint works.' };
      const event = await trx
        .insertInto('webhook_events')
        .values({
          type: TEST_EVENT_TYPE,
          payload: JSON.stringify({ type: TEST_EVENT_TYPE, timestamp: now, data }),
          dispatched_at: now,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return trx
        .insertInto('webhook_deliveries')
        .values({
          endpoint_id: endpointId,
          event_id: event.id,
          status: 'pending',
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'attempts'])
        .executeTakeFirstOrThrow();
    });
  }

  /** What an attempt of a pending delivery needs; undefined when it is no longer pending or gone. */
  async attempt(deliveryId: number): Promise<Attempt | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .innerJoin('webhook_endpoints as p', 'p.id', 'd.endpoint_id')
      .select(['d.id', 'd.event_id', 'd.attempts', 'e.payload', 'p.url', 'p.secret', 'p.enabled'])
      .where('d.id', '=', deliveryId)
      .where('d.status', '=', 'pending')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      deliveryId: row.id,
      eventId: row.event_id,
      attempts: row.attempts,
      payload: row.payload,
      url: row.url,
      secret: row.secret,
      enabled: row.enabled === 1,
    };
  }

  /** The receiver answered 2xx: the delivery is done and its endpoint's run of failures ends. */
  async delivered(deliveryId: number, responseCode: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: 'delivered',
          attempts: eb('attempts', '+', 1),
          response_code: responseCode,
          last_error: null,
          next_attempt_at: null,
          updated_at: now,
        }))
        .where('id', '=', deliveryId)
        .returning('endpoint_id')
        .executeTakeFirst();
      if (row)
        await trx
          .updateTable('webhook_endpoints')
          .set({ failing_since: null })
          .where('id', '=', row.endpoint_id)
          .execute();
    });
  }

  /**
   * An attempt failed: the delivery waits until `nextAttemptAt`, or has failed for good when there
   * is none. The endpoint failing for DISABLE_AFTER_MS is disabled; the answer says whether this
   * failure disabled it (the caller tells the admins), and which endpoint.
   */
  async failed(
    deliveryId: number,
    outcome: { responseCode: number | null; error: string; nextAttemptAt: string | null },
  ): Promise<{ endpoint: WebhookEndpoint; disabledNow: boolean } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: outcome.nextAttemptAt ? 'pending' : 'failed',
          attempts: eb('attempts', '+', 1),
          response_code: outcome.responseCode,
          last_error: outcome.error,
          next_attempt_at: outcome.nextAttemptAt,
          updated_at: now,
        }))
        .where('id', '=', deliveryId)
        .where('status', '=', 'pending')
        .returning('endpoint_id')
        .executeTakeFirst();
      if (!row) return undefined;
      const endpoint = await trx
        .updateTable('webhook_endpoints')
        .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(now)) }))
        .where('id', '=', row.endpoint_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const failingFor = Date.now() - Date.parse(endpoint.failing_since ?? now);
      if (endpoint.enabled !== 1 || failingFor < DISABLE_AFTER_MS)
        return { endpoint: toEndpoint(endpoint), disabledNow: false };
      const reason = `Disabled after failing since ${endpoint.failing_since} with no success`;
      const disabled = await trx
        .updateTable('webhook_endpoints')
        .set({ enabled: 0, disabled_reason: reason, updated_at: now })
        .where('id', '=', endpoint.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { endpoint: toEndpoint(disabled), disabledNow: true };
    });
  }

  /** A pending delivery of a disabled endpoint is not made; the log says so. */
  async skip(deliveryId: number): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'skipped', next_attempt_at: null, updated_at: nowIso() })
      .where('id', '=', deliveryId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Pending deliveries due before `before`: their jobs were lost with Redis, or never added. */
  async overdue(before: string): Promise<DueDelivery[]> {
    return this.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<', before)
      .orderBy('id')
      .limit(DISPATCH_BATCH)
      .execute();
  }

  /**
   * Forgets events older than `before` whose deliveries have all ended (delivered, failed or
   * skipped), with their deliveries; says how many went.
   */
  async prune(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('webhook_events')
      .where('created_at', '<', before)
      .where('dispatched_at', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_deliveries')
              .select('id')
              .whereRef('event_id', '=', 'webhook_events.id')
              .where('status', '=', 'pending'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** The `webhook-id` of an event's every delivery: the same on each retry, so a receiver can skip a repeat. */
export function messageId(eventId: number): string {
  return `msg_${eventId}`;
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: parseJson<WebhookEventType[]>(row.events),
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No webhook endpoint with id ${id}`);
}
