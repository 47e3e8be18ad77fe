// Who may be mailed: random subscribers in every status, paused or not, suppressed or not, in
// topics or not. The SQL that the preview, a send's snapshot and each batch's re-check share
// (exclusionReason, and `eligible` for whom a send takes) must give each one the reason a plain
// reading of docs/audience.md gives.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudienceStore, audienceQuery, eligibleAudience } from '../../src/audience/audience-store.js';
import { EXCLUSION_REASONS, type ExclusionReason } from '../../src/audience/exclusion-reasons.js';
import { SuppressionList } from '../../src/audience/suppressions.js';
import { nowIso, SUBSCRIBER_STATUSES, type SubscriberStatus } from '../../src/db/schema.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

const TOPICS = ['border', 'weekly'];
const NOW = new Date('2026-03-01T12:00:00.000Z');
/** Pause ends around NOW: before, exactly at (no longer paused), after. */
const PAUSES = [
  null,
  '2026-02-01T00:00:00.000Z',
  NOW.toISOString(),
  '2026-03-01T12:00:00.001Z',
  '2027-01-01T00:00:00.000Z',
];

interface Plain {
  status: SubscriberStatus;
  pausedUntil: string | null;
  suppressed: boolean;
  topics: string[];
}

/** docs/audience.md, "Who is eligible": the first reason that applies, in its order. */
function exclusionOf(s: Plain, topic: string | undefined, now: Date): ExclusionReason | 'eligible' {
  if (s.status === 'unsubscribed') return 'unsubscribed';
  if (s.status === 'pending') return 'unconfirmed';
  if (s.status === 'bounced') return 'bounced';
  if (s.status === 'complained') return 'complained';
  if (s.pausedUntil !== null && new Date(s.pausedUntil) > now) return 'paused';
  if (s.suppressed) return 'suppressed';
  if (topic !== undefined && !s.topics.includes(topic)) return 'not_in_topic';
  return 'eligible';
}

const someone = fc.record({
  status: fc.constantFrom(...SUBSCRIBER_STATUSES),
  pausedUntil: fc.constantFrom(...PAUSES),
  suppressed: fc.boolean(),
  topics: fc.subarray(TOPICS),
});

describe.each(databaseKinds())('who may be mailed on %s', (kind) => {
  let db: TestDatabase;
  const people: (Plain & { id: number })[] = [];
  const topicIds = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const k = db.database.db;
    const suppressions = new SuppressionList(k, 'eligibility-test-secret');
    for (const key of TOPICS) {
      const { id } = await k
        .insertInto('topics')
        .values({ key, name: '{"en":"x"}', description: '{}', public: 0, created_at: nowIso(), updated_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow();
      topicIds.set(key, id);
    }
    for (const [i, s] of fc.sample(someone, { numRuns: 150, seed: 20260301 }).entries()) {
      const email = `person${i}@example.org`;
      const { id } = await k
        .insertInto('subscribers')
        .values({
          email,
          name: '',
          language: 'en',
          status: s.status,
          attributes: '{}',
          email_hash: suppressions.hash(email),
          paused_until: s.pausedUntil,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const topic of s.topics)
        await k
          .insertInto('subscriptions')
          .values({ subscriber_id: id, topic_id: topicIds.get(topic)!, created_at: nowIso() })
          .execute();
      if (s.suppressed) await suppressions.add(email, 'manual');
      people.push({ id, ...s });
    }
  });
  afterAll(() => db.drop());

  const topics = [undefined, ...TOPICS];
  const nows = [NOW, new Date('2020-01-01T00:00:00.000Z'), new Date('2030-01-01T00:00:00.000Z')];

  it('gives each subscriber the reason the documented order gives, for any topic and time', async () => {
    for (const topic of topics) {
      for (const now of nows) {
        const rows = await audienceQuery(db.database.db, kind, { all: [] }, topic, now)
          .orderBy('subscribers.id')
          .execute();
        const expected = people.map((p) => ({ id: p.id, reason: exclusionOf(p, topic, now) }));
        expect(
          rows.map((r) => ({ id: r.id, reason: r.reason })),
          `topic ${topic}, ${now.toISOString()}`,
        ).toEqual(expected);
      }
    }
  });

  it('selects for a send exactly those whose reason is eligible, the topic named by key or by id', async () => {
    for (const topic of topics) {
      const refs = topic ? [topic, { id: topicIds.get(topic)! }] : [undefined];
      for (const ref of refs) {
        for (const now of nows) {
          const rows = await eligibleAudience(db.database.db, kind, { all: [] }, ref, now)
            .orderBy('subscribers.id')
            .execute();
          const expected = people.filter((p) => exclusionOf(p, topic, now) === 'eligible').map((p) => p.id);
          expect(
            rows.map((r) => r.id),
            `topic ${JSON.stringify(ref)}, ${now.toISOString()}`,
          ).toEqual(expected);
        }
      }
    }
  });

  it('covers every reason, and the preview counts them as the plain reading does', async () => {
    const audience = new AudienceStore(db.database.db, kind);
    for (const topic of topics) {
      const reasons = people.map((p) => exclusionOf(p, topic, NOW));
      const preview = await audience.preview({ all: [] }, topic, NOW);
      const count = (reason: string) => reasons.filter((r) => r === reason).length;
      expect(preview.selected).toBe(people.length);
      expect(preview.eligible).toBe(count('eligible'));
      expect(preview.excluded).toEqual(Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, count(r)])));
      if (topic)
        for (const reason of [...EXCLUSION_REASONS, 'eligible']) expect(count(reason), reason).toBeGreaterThan(0);
    }
  });
});
