// The outbox: each event is written in the transaction of the change it describes, so a change
// that commits has its event and one that rolls back has none. The worker hands events to the
// endpoints later (webhook-dispatch.ts); the event's id is the `webhook-id` of every delivery of
// it, so a receiver that gets it twice can tell.
import type { Transaction } from 'kysely';
import { inParts } from '../db/in-parts.js';
import { nowIso, parseJson, type Tables } from '../db/schema.js';
import type { CampaignEventType, SubscriberEventType } from './event-types.js';
import type { CampaignEventData, ErasedEventData, SubscriberEventData } from './events.js';

export type OutboxEvent =
  | { type: Exclude<SubscriberEventType, 'subscriber.erased'>; data: SubscriberEventData }
  | { type: 'subscriber.erased'; data: ErasedEventData }
  | { type: CampaignEventType; data: CampaignEventData };

/**
 * Writes events in the caller's transaction, in statements small enough for either database. Only
 * the types an enabled endpoint takes are written: with no endpoint, an import of 100,000 people
 * writes no event (an endpoint added later gets what happens after it, never what came before).
 */
export async function recordEvents(trx: Transaction<Tables>, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const wanted = await wantedTypes(trx);
  const kept = events.filter((event) => wanted.has(event.type));
  const timestamp = nowIso();
  for (const part of inParts(kept, 4)) {
    await trx
      .insertInto('webhook_events')
      .values(
        part.map((event) => ({
          type: event.type,
          payload: JSON.stringify({ type: event.type, timestamp, data: event.data }),
          subscriber_id: 'subscriber' in event.data ? event.data.subscriber.id : null,
          created_at: timestamp,
        })),
      )
      .execute();
  }
}

/** The event types the enabled endpoints take. */
async function wantedTypes(trx: Transaction<Tables>): Promise<Set<string>> {
  const rows = await trx.selectFrom('webhook_endpoints').select('events').where('enabled', '=', 1).execute();
  return new Set(rows.flatMap((row) => parseJson<string[]>(row.events)));
}
