// Subscribers as a real list holds them, for the audience benches: three topics, tags, three
// attributes (state, age as text, a join date), and some of everyone a send leaves out
// (unsubscribed, pending, paused, suppressed).
import { nowIso } from '../../src/db/schema.js';
import type { BenchData } from './bench-data.js';
import { insertSubscribers, settleSubscribers } from './bulk-subscribers.js';

export const STATES = ['TX', 'AZ', 'NM', 'CA', 'NY', 'IL', 'FL'];

const emailOf = (i: number) => `person${i}@${i % 5 === 0 ? 'nnirr.org' : 'example.org'}`;

/** Adds the topics 'refugees' and 'border' beside bench data's 'weekly-bulletin', and `count` subscribers. */
export async function addVariedAudience(data: BenchData, count: number): Promise<void> {
  const { stores } = data;
  for (const key of ['refugees', 'border']) await stores.topics.create({ key, name: { en: key }, public: true });
  const topicIds = await stores.subscribers.topicIds();
  const topic = (key: string) => topicIds.get(key)!;
  await insertSubscribers(
    data.database,
    (email) => stores.suppressions.hash(email),
    count,
    (i) => ({
      email: emailOf(i),
      name: `Person ${i}`,
      language: i % 3 === 0 ? 'es' : 'en',
      topicIds: [
        topic('weekly-bulletin'),
        ...(i % 4 === 0 ? [topic('refugees')] : []),
        ...(i % 7 === 0 ? [topic('border')] : []),
      ],
      tags: i % 50 === 0 ? ['press'] : i % 11 === 0 ? ['volunteer'] : [],
      attributes: {
        state: STATES[i % STATES.length]!,
        age: String(18 + (i % 60)),
        joined: `202${3 + (i % 3)}-0${1 + (i % 9)}-15`,
      },
    }),
  );
  // Some of everyone that a send leaves out
  const { db } = data.database;
  await db
    .updateTable('subscribers')
    .set({ status: 'unsubscribed' })
    .where((eb) => eb(eb.fn('mod', ['id', eb.lit(31)]), '=', 0))
    .execute();
  await db
    .updateTable('subscribers')
    .set({ status: 'pending' })
    .where((eb) => eb(eb.fn('mod', ['id', eb.lit(37)]), '=', 0))
    .execute();
  await db
    .updateTable('subscribers')
    .set({ paused_until: '2999-01-01T00:00:00.000Z' })
    .where((eb) => eb(eb.fn('mod', ['id', eb.lit(41)]), '=', 0))
    .execute();
  const suppressed = [];
  for (let i = 0; i < count; i += 97) {
    suppressed.push({
      email_hash: stores.suppressions.hash(emailOf(i)),
      reason: 'bounced' as const,
      created_at: nowIso(),
    });
  }
  for (let start = 0; start < suppressed.length; start += 1000) {
    await db
      .insertInto('suppressions')
      .values(suppressed.slice(start, start + 1000))
      .execute();
  }
  await settleSubscribers(data.database);
}
