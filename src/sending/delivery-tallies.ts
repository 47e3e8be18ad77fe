// The ledger counted by campaign, status and language, so that a campaign's report costs the same
// at a hundred rows or a million. Every change to ledger rows adds its change here in the same
// transaction, from the rows the change returned: a crash loses both or neither, and a retried
// change that finds nothing to change adds nothing. A change to many rows at once (a cancel, a
// retry of failed rows, the snapshot) counts the campaign again instead.
import { sql, type Kysely } from 'kysely';
import type { DeliveryStatus, Tables } from '../db/schema.js';

/** Rows that entered (positive) or left (negative) a status in one language. */
export interface TallyChange {
  status: DeliveryStatus;
  language: string;
  deliveries?: number;
  sent?: number;
  delivered?: number;
  /** The sent_at the sent rows were given. */
  sentAt?: string;
}

/**
 * Adds changes to a campaign's tallies, within the caller's transaction. One statement, its rows
 * in (status, language) order: concurrent writers lock the tallies in the same order.
 */
export async function addTallies(
  db: Kysely<Tables>,
  campaignId: number,
  changes: readonly TallyChange[],
): Promise<void> {
  const merged = new Map<string, Required<Omit<TallyChange, 'sentAt'>> & { sentAt: string | null }>();
  for (const change of changes) {
    const key = `${change.status}\u0000${change.language}`;
    const row = merged.get(key) ?? { ...change, deliveries: 0, sent: 0, delivered: 0, sentAt: null };
    row.deliveries += change.deliveries ?? 0;
    row.sent += change.sent ?? 0;
    row.delivered += change.delivered ?? 0;
    if (change.sentAt) row.sentAt = row.sentAt && row.sentAt < change.sentAt ? row.sentAt : change.sentAt;
    merged.set(key, row);
  }
  const rows = [...merged.entries()]
    .filter(([, r]) => r.deliveries || r.sent || r.delivered || r.sentAt)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({
      campaign_id: campaignId,
      status: r.status,
      language: r.language,
      deliveries: r.deliveries,
      sent: r.sent,
      delivered: r.delivered,
      first_sent_at: r.sentAt,
      last_sent_at: r.sentAt,
    }));
  if (rows.length === 0) return;
  /** The earlier (or later) of two times, either of which may be null. */
  const pick = (order: '<' | '>') => (a: string, b: string) => {
    const [x, y] = [sql.ref(a), sql.ref(b)];
    return sql<string>`case when ${x} is null or ${y} ${sql.raw(order)} ${x} then ${y} else ${x} end`;
  };
  const [earlier, later] = [pick('<'), pick('>')];
  await db
    .insertInto('delivery_tallies')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'status', 'language']).doUpdateSet((eb) => ({
        deliveries: eb('delivery_tallies.deliveries', '+', eb.ref('excluded.deliveries')),
        sent: eb('delivery_tallies.sent', '+', eb.ref('excluded.sent')),
        delivered: eb('delivery_tallies.delivered', '+', eb.ref('excluded.delivered')),
        first_sent_at: earlier('delivery_tallies.first_sent_at', 'excluded.first_sent_at'),
        last_sent_at: later('delivery_tallies.last_sent_at', 'excluded.last_sent_at'),
      })),
    )
    .execute();
}

/** Counts a campaign's ledger again, within the caller's transaction: after a change to many rows. */
export async function recountTallies(db: Kysely<Tables>, campaignId: number): Promise<void> {
  await db.deleteFrom('delivery_tallies').where('campaign_id', '=', campaignId).execute();
  await db
    .insertInto('delivery_tallies')
    .columns(['campaign_id', 'status', 'language', 'deliveries', 'sent', 'delivered', 'first_sent_at', 'last_sent_at'])
    .expression(
      db
        .selectFrom('deliveries')
        .select((eb) => [
          'campaign_id',
          'status',
          'language',
          eb.fn.countAll<number>().as('deliveries'),
          eb.fn.count<number>('sent_at').as('sent'),
          eb.fn.count<number>('delivered_at').as('delivered'),
          eb.fn.min('sent_at').as('first_sent_at'),
          eb.fn.max('sent_at').as('last_sent_at'),
        ])
        .where('campaign_id', '=', campaignId)
        .groupBy(['campaign_id', 'status', 'language']),
    )
    .execute();
}

/** Rows moved from one status to another, counted by language (as a claim or settle returns them). */
export function moved(
  from: DeliveryStatus,
  to: DeliveryStatus,
  languages: readonly string[],
  sentAt?: string,
): TallyChange[] {
  const byLanguage = new Map<string, number>();
  for (const language of languages) byLanguage.set(language, (byLanguage.get(language) ?? 0) + 1);
  return [...byLanguage].flatMap(([language, n]) => [
    { status: from, language, deliveries: -n },
    { status: to, language, deliveries: n, ...(sentAt ? { sent: n, sentAt } : {}) },
  ]);
}
