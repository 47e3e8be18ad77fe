// Random rules over random subscribers and a random delivery ledger: the SQL on each database
// must agree with the plain in-memory evaluator, hostile values included; and on rules without a
// campaign, the production evaluator a block's audience uses must agree with both, on each
// reader's row as the database gives it back.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule, type RuleReader } from '../../src/audience/rule-evaluator.js';
import { ruleReaders } from '../../src/audience/rule-readers.js';
import { ruleExpression } from '../../src/audience/rule-sql.js';
import { MAX_RULE_NODES, parseRule, type Rule } from '../../src/audience/rules.js';
import { DELIVERY_STATUSES, nowIso } from '../../src/db/schema.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { evaluate, type PlainSubscriber } from '../helpers/rule-evaluator.js';

const TOPICS = ['border', 'refugees', 'weekly'];
const LANGUAGES = ['en', 'es', 'fr'];
const TAGS = ['press', 'volunteer', "it's", '100%_sure', 'back\\slash'];
const DOMAINS = ['example.org', 'nnirr.org', 'mail.example.org'];
const NAMES = ['state', 'age', 'joined', 'note', 'a.b', 'with space', "o'clock", '%_'];
const TEXTS = [
  'TX',
  'AZ',
  'tx',
  '',
  '42',
  '-3.5',
  '007',
  '1e3',
  '2024-05-01',
  '2023-12-31T10:00:00Z',
  '٢٠٢٤-٠١-٠١',
  "O'Brien",
  '50%_off',
  'back\\slash',
  'ünïcödé',
  'x'.repeat(300),
];
const NUMBERS = [-3.5, 0, 7, 42, 1000, 0.5];
const DATES = ['2023-06-01', '2023-12-31', '2024-01-01', '2024-05-01', '2025-12-31T23:00:00Z'];
/** Campaigns with ledger rows; rules also name one that was never sent. */
const CAMPAIGNS = [1, 2, 3];
const NEVER_SENT = 4;

const attributeValue = fc.oneof(
  fc.constantFrom(...TEXTS),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(true, false, null),
  fc.constant({ nested: 1 }),
);

const subscriber = fc.record({
  local: fc.constantFrom('ana', 'ben', 'o.brien', 'x_y', '100%'),
  domain: fc.constantFrom(...DOMAINS),
  language: fc.constantFrom(...LANGUAGES),
  tags: fc.subarray(TAGS),
  topics: fc.subarray(TOPICS),
  attributes: fc.dictionary(fc.constantFrom(...NAMES), attributeValue, { maxKeys: 4 }),
  createdAt: fc
    .date({ min: new Date('2023-01-01'), max: new Date('2026-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  // Per campaign: no row, or a row in any status.
  ledger: fc.tuple(...CAMPAIGNS.map(() => fc.constantFrom(null, ...DELIVERY_STATUSES))),
});

const scalar = fc.oneof(fc.constantFrom(...TEXTS), fc.constantFrom(...NUMBERS));
const attributeRule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    attribute: fc.constantFrom(...NAMES, 'missing'),
    op: fc.constantFrom('eq' as const, 'neq' as const),
    value: scalar,
  }),
  fc.record({
    attribute: fc.constantFrom(...NAMES),
    op: fc.constant('in' as const),
    value: fc.array(scalar, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    attribute: fc.constantFrom(...NAMES),
    op: fc.constant('contains' as const),
    value: fc.constantFrom('T', '%', '_', "'", '\\', 'x', '2024'),
  }),
  fc.record({ attribute: fc.constantFrom(...NAMES, 'missing'), op: fc.constant('exists' as const) }),
  fc.record({
    attribute: fc.constantFrom(...NAMES),
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    value: fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...DATES)),
  }),
);
/** Conditions on the subscriber's own fields besides attributes; "campaign" reads the ledger instead. */
const readerConditions: fc.Arbitrary<Rule>[] = [
  fc.record({ topic: fc.constantFrom(...TOPICS, 'nobody-has-this') }),
  fc.record({ language: fc.subarray(LANGUAGES, { minLength: 1 }) }),
  fc.record({ tag: fc.constantFrom(...TAGS) }),
  fc.record({ emailDomain: fc.constantFrom(...DOMAINS, 'example.com') }),
  fc
    .record({
      subscribed: fc.record(
        { after: fc.constantFrom(...DATES), before: fc.constantFrom(...DATES) },
        { requiredKeys: [] },
      ),
    })
    .filter((r) => Object.keys(r.subscribed).length > 0),
];
const campaignCondition = fc.record({ campaign: fc.constantFrom(...CAMPAIGNS, NEVER_SENT), received: fc.boolean() });
/** Conditions and groups, as MAX_RULE_NODES counts them. */
function parts(r: Rule): number {
  if ('all' in r) return 1 + r.all.reduce((sum, child) => sum + parts(child), 0);
  if ('any' in r) return 1 + r.any.reduce((sum, child) => sum + parts(child), 0);
  if ('not' in r) return 1 + parts(r.not);
  return 1;
}
/** Groups of these conditions, within the limits. */
function rules(...conditions: fc.Arbitrary<Rule>[]): fc.Arbitrary<Rule> {
  const condition = fc.oneof(...conditions);
  const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
      fc.record({ not: tie('rule') }),
    ),
  }));
  return rule.filter((r) => parts(r) <= MAX_RULE_NODES);
}
const rule = rules(...readerConditions, campaignCondition, attributeRule);
const readerRule = rules(...readerConditions, attributeRule);

describe.each(databaseKinds())('segment rules on %s', (kind) => {
  let db: TestDatabase;
  const people: (PlainSubscriber & { id: number })[] = [];
  /** Each subscriber's row as the database gives it back, by id. */
  let rows: Map<number, RuleReader>;
  /** The ids the SQL selects, in order. */
  const select = async (r: Rule) =>
    (
      await db.database.db
        .selectFrom('subscribers')
        .select('id')
        .where((eb) => ruleExpression(eb, r, kind))
        .orderBy('id')
        .execute()
    ).map((row) => row.id);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const k = db.database.db;
    const topicIds = new Map<string, number>();
    for (const key of TOPICS) {
      const { id } = await k
        .insertInto('topics')
        .values({ key, name: '{"en":"x"}', description: '{}', public: 0, created_at: nowIso(), updated_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow();
      topicIds.set(key, id);
    }
    const bulletin = await k
      .insertInto('bulletins')
      .values({ title: 'b', current_version: 1, created_at: nowIso(), updated_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const version = await k
      .insertInto('bulletin_versions')
      .values({ bulletin_id: bulletin.id, version: 1, document: '{}', created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const id of CAMPAIGNS) await insertCampaign(db, { id: bulletin.id, versionId: version.id }, { id });
    const delivery = (campaign: number, subscriberId: number | null, status: (typeof DELIVERY_STATUSES)[number]) =>
      k
        .insertInto('deliveries')
        .values({
          campaign_id: campaign,
          subscriber_id: subscriberId,
          language: 'en',
          status,
          message_id: null,
          last_error: null,
          claim: null,
          sent_at: null,
          delivered_at: null,
          updated_at: nowIso(),
        })
        .execute();
    // Rows of erased subscribers (subscriber_id NULL) belong to nobody.
    for (const id of CAMPAIGNS) await delivery(id, null, 'sent');
    const generated = fc.sample(subscriber, { numRuns: 80, seed: 20261128 });
    for (const [i, s] of generated.entries()) {
      const email = `${s.local}${i}@${s.domain}`;
      const { id } = await k
        .insertInto('subscribers')
        .values({
          email,
          name: '',
          language: s.language,
          status: 'active',
          attributes: JSON.stringify(s.attributes),
          email_hash: null,
          paused_until: null,
          created_at: s.createdAt,
          updated_at: s.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const tag of s.tags) await k.insertInto('subscriber_tags').values({ subscriber_id: id, tag }).execute();
      for (const topic of s.topics)
        await k
          .insertInto('subscriptions')
          .values({ subscriber_id: id, topic_id: topicIds.get(topic)!, created_at: nowIso() })
          .execute();
      const deliveries = s.ledger.flatMap((status, i) =>
        status === null ? [] : [{ campaign: CAMPAIGNS[i]!, status }],
      );
      for (const d of deliveries) await delivery(d.campaign, id, d.status);
      people.push({
        id,
        email,
        language: s.language,
        tags: s.tags,
        topics: s.topics,
        attributes: JSON.parse(JSON.stringify(s.attributes)),
        createdAt: s.createdAt,
        deliveries,
      });
    }
    rows = await readerRows(db);
  });
  afterAll(() => db.drop());

  it('selects exactly whom the in-memory evaluator selects, for any rule', async () => {
    await fc.assert(
      fc.asyncProperty(rule, async (r) => {
        const parsed = parseRule(JSON.parse(JSON.stringify(r)));
        expect(parsed.issues).toEqual([]);
        const expected = people.filter((p) => evaluate(parsed.rule!, p)).map((p) => p.id);
        expect(await select(parsed.rule!)).toEqual(expected);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('in memory, on each row, selects whom the SQL and the plain evaluator select, campaigns aside', async () => {
    await fc.assert(
      fc.asyncProperty(readerRule, async (r) => {
        const parsed = parseRule(JSON.parse(JSON.stringify(r)));
        expect(parsed.issues).toEqual([]);
        const isForReader = compileRule(parsed.rule!);
        const selected = await select(parsed.rule!);
        expect(people.filter((p) => isForReader(rows.get(p.id)!)).map((p) => p.id)).toEqual(selected);
        expect(people.filter((p) => evaluate(parsed.rule!, p)).map((p) => p.id)).toEqual(selected);
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it('matches hostile values literally', async () => {
    for (const r of [
      { attribute: 'note', op: 'eq', value: "O'Brien" },
      { attribute: '%_', op: 'eq', value: '50%_off' },
      { attribute: 'note', op: 'contains', value: '%' },
      { attribute: 'note', op: 'contains', value: '_' },
      { attribute: "o'clock", op: 'eq', value: 'back\\slash' },
      { attribute: 'note', op: 'eq', value: 'x'.repeat(300) },
      { tag: "it's" },
      { tag: '100%_sure' },
      { attribute: 'state', op: 'eq', value: "'; drop table subscribers; --" },
      // On every attribute: a date-time on the rule's own day, texts that read as numbers, null, missing.
      ...NAMES.flatMap((attribute) => [
        ...(['gt', 'gte', 'lt', 'lte'] as const).map((op) => ({ attribute, op, value: '2023-12-31' })),
        { attribute, op: 'eq', value: 7 },
        { attribute, op: 'eq', value: '007' },
        { attribute, op: 'in', value: ['42', -3.5] },
        { attribute, op: 'exists' },
        { attribute, op: 'neq', value: 'TX' },
      ]),
    ] as Rule[]) {
      const selected = await select(r);
      expect(selected, JSON.stringify(r)).toEqual(people.filter((p) => evaluate(r, p)).map((p) => p.id));
      const isForReader = compileRule(r);
      expect(
        people.filter((p) => isForReader(rows.get(p.id)!)).map((p) => p.id),
        JSON.stringify(r),
      ).toEqual(selected);
    }
    expect((await select({ all: [] })).length).toBe(people.length);
  });

  it('reads "received" from the ledger: a row sent or unknown, not another status, no row, an erased row', async () => {
    for (const campaign of CAMPAIGNS) {
      const received = people
        .filter((p) => p.deliveries.some((d) => d.campaign === campaign && ['sent', 'unknown'].includes(d.status)))
        .map((p) => p.id);
      const others = people.filter((p) => !received.includes(p.id)).map((p) => p.id);
      // The generated ledger holds both kinds, and rows in other statuses among the others.
      expect(received.length).toBeGreaterThan(0);
      expect(people.some((p) => others.includes(p.id) && p.deliveries.some((d) => d.campaign === campaign))).toBe(true);
      expect(await select({ campaign, received: true })).toEqual(received);
      expect(await select({ campaign, received: false })).toEqual(others);
    }
    expect(await select({ campaign: NEVER_SENT, received: true })).toEqual([]);
    expect((await select({ campaign: NEVER_SENT, received: false })).length).toBe(people.length);
  });
});

/** Every subscriber's row as a send's batch fetches it for the in-memory evaluator (ruleReaders). */
async function readerRows(db: TestDatabase): Promise<Map<number, RuleReader>> {
  const ids = await db.database.db.selectFrom('subscribers').select('id').execute();
  return ruleReaders(
    db.database.db,
    ids.map((r) => r.id),
  );
}
