// Who a send reaches: the rule's selection, minus those who must not get mail, each counted
// under the first reason that excludes them, so the numbers always add up.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import { EXCLUSION_REASONS, type ExclusionReason } from './exclusion-reasons.js';
import { ruleExpression, subscribedTo } from './rule-sql.js';
import { tagsIn, type Rule } from './rules.js';
import type { AudiencePreview, BlockReach } from './schemas.js';

/** A block of a bulletin as the audience counts read it: its type, and its rule when it has one. */
export interface AudienceBlock {
  type: string;
  audience?: Rule | undefined;
}

/** What the pre-send checks learn of the blocks' audiences (src/render/checks.ts reads it). */
export interface BlockAudienceFacts {
  /** Each block with an audience: how many eligible readers of the topic (or the list) it reaches. */
  reach: { index: number; shown: number }[];
  /** Tags the blocks' rules name that no subscriber has, in the order first named. */
  unknownTags: string[];
}

export const SAMPLE_SIZE = 10;

export class AudienceStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly kind: DatabaseKind,
  ) {}

  async preview(rule: Rule, topic?: string, now = new Date()): Promise<AudiencePreview> {
    const topicRow = topic
      ? await this.db.selectFrom('topics').select('id').where('key', '=', topic).executeTakeFirst()
      : undefined;
    if (topic && !topicRow) {
      throw AppError.invalid([{ path: 'topic', message: `no topic with key "${topic}"` }]);
    }
    const ref = topicRow ? { id: topicRow.id } : undefined;
    const audience = audienceQuery(this.db, this.kind, rule, ref, now);
    const [groups, sample] = await Promise.all([
      this.db
        .selectFrom(audience.as('audience'))
        .select(['audience.reason', 'audience.language', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['audience.reason', 'audience.language'])
        .execute(),
      eligibleAudience(this.db, this.kind, rule, ref, now).orderBy('subscribers.id').limit(SAMPLE_SIZE).execute(),
    ]);

    const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
    const byLanguage: Record<string, number> = {};
    let eligible = 0;
    for (const { reason, language, n } of groups) {
      const count = Number(n);
      if (reason === 'eligible') {
        eligible += count;
        byLanguage[language] = (byLanguage[language] ?? 0) + count;
      } else {
        excluded[reason as ExclusionReason] += count;
      }
    }
    const selected = eligible + Object.values(excluded).reduce((a, b) => a + b, 0);
    return { selected, eligible, excluded, byLanguage, sample };
  }

  /**
   * How many of the rule's eligible readers also match each conditional block's rule, the AND of
   * the two rules over the same eligibility, so "3,210 of 4,812" adds up with the preview's
   * `eligible`. One pass for all the blocks, a sum a block: eligibility (the suppression list,
   * the topic) is worked out once a subscriber, not once a block. Blocks without an audience are
   * left out: everyone sees them.
   */
  async blockReach(
    rule: Rule,
    topic: string | undefined,
    blocks: readonly AudienceBlock[],
    now = new Date(),
  ): Promise<BlockReach[]> {
    const counted = blocks.flatMap((block, index) =>
      block.audience ? [{ index, block, audience: block.audience }] : [],
    );
    if (counted.length === 0) return [];
    const row = await ruleSelection(this.db, this.kind, rule)
      .where((eb) => eligible(eb, topic, now))
      .select((eb) =>
        counted.map(({ audience }, i) =>
          eb.fn
            .sum<number | string | null>(
              eb
                .case()
                .when(ruleExpression(eb, audience, this.kind))
                .then(1)
                .else(0)
                .end(),
            )
            .as(`block${i}`),
        ),
      )
      .executeTakeFirstOrThrow();
    const sums = row as Record<string, number | string | null>;
    return counted.map(({ index, block }, i) => ({ index, type: block.type, shown: Number(sums[`block${i}`] ?? 0) }));
  }

  /**
   * For the pre-send checks: each conditional block's reach among the eligible readers of the topic
   * (or of the whole list), and the tags the rules name that nobody has.
   */
  async blockAudienceFacts(blocks: readonly AudienceBlock[], topic: string | undefined): Promise<BlockAudienceFacts> {
    const named = [...new Set(blocks.flatMap((block) => (block.audience ? tagsIn(block.audience) : [])))];
    const [reach, held] = await Promise.all([
      this.blockReach({ all: [] }, topic, blocks),
      named.length
        ? this.db.selectFrom('subscriber_tags').select('tag').distinct().where('tag', 'in', named).execute()
        : [],
    ]);
    const heldTags = new Set(held.map((row) => row.tag));
    return {
      reach: reach.map(({ index, shown }) => ({ index, shown })),
      unknownTags: named.filter((t) => !heldTags.has(t)),
    };
  }
}

/** A topic as the audience queries take it: its key, or its id when the caller has looked it up. */
export type TopicRef = string | { id: number };

/** The topic's id when there is a topic with this key, else the key (which then matches no one). */
export async function topicRef(db: Kysely<Tables>, key: string): Promise<TopicRef> {
  const row = await db.selectFrom('topics').select('id').where('key', '=', key).executeTakeFirst();
  return row ? { id: row.id } : key;
}

/** The subscribers the rule selects, before anyone is left out. */
function ruleSelection(db: Kysely<Tables>, kind: DatabaseKind, rule: Rule) {
  return db.selectFrom('subscribers').where((eb) => ruleExpression(eb, rule, kind));
}

/** The rule's selection with each subscriber's reason to be left out, or 'eligible', for the preview's counts. */
export function audienceQuery(
  db: Kysely<Tables>,
  kind: DatabaseKind,
  rule: Rule,
  topic: TopicRef | undefined,
  now: Date,
) {
  return ruleSelection(db, kind, rule).select([
    'subscribers.id',
    'subscribers.email',
    'subscribers.name',
    'subscribers.language',
    (eb) => exclusionReason(eb, topic, now).as('reason'),
  ]);
}

/**
 * The rule's eligible subscribers, as a send snapshots them and the preview samples
 * them. The same selection as audienceQuery's reason = 'eligible', written as plain conditions so
 * the database can join: the topic through its index, the suppression list as an anti-join,
 * instead of working out a reason for every subscriber (six times less work at a million).
 */
export function eligibleAudience(
  db: Kysely<Tables>,
  kind: DatabaseKind,
  rule: Rule,
  topic: TopicRef | undefined,
  now: Date,
) {
  return ruleSelection(db, kind, rule)
    .where((eb) => eligible(eb, topic, now))
    .select(['subscribers.id', 'subscribers.email', 'subscribers.name', 'subscribers.language']);
}

type Eb = ExpressionBuilder<Tables, 'subscribers'>;

/** On the suppression list. */
function suppressed(eb: Eb) {
  return eb.exists(
    eb
      .selectFrom('suppressions')
      .select(sql`1`.as('one'))
      .whereRef('suppressions.email_hash', '=', 'subscribers.email_hash'),
  );
}

/**
 * Who may be mailed, decided here and nowhere else: the first of EXCLUSION_REASONS that applies
 * to the subscriber at `now`, or 'eligible'. A send's snapshot asks it (through `eligible`), and
 * so does each batch when it claims its rows, so a change made during a send is judged by the
 * rules that chose the audience. `topic` is the bulletin's topic, when it has one.
 */
export function exclusionReason(eb: Eb, topic: TopicRef | undefined, now: Date) {
  const reasons = eb
    .case()
    .when('subscribers.status', '=', 'unsubscribed')
    .then(sql.lit('unsubscribed'))
    .when('subscribers.status', '=', 'pending')
    .then(sql.lit('unconfirmed'))
    .when('subscribers.status', '=', 'bounced')
    .then(sql.lit('bounced'))
    .when('subscribers.status', '=', 'complained')
    .then(sql.lit('complained'))
    .when('subscribers.paused_until', '>', now.toISOString())
    .then(sql.lit('paused'))
    .when(suppressed(eb))
    .then(sql.lit('suppressed'));
  return (topic ? reasons.when(eb.not(subscribedTo(eb, topic))).then(sql.lit('not_in_topic')) : reasons)
    .else(sql.lit('eligible'))
    .end();
}

/**
 * exclusionReason(…) = 'eligible', as conditions a planner can use: none of the reasons applies.
 * Active is the one status that is no reason (the column allows no other); a NULL pause date is
 * no pause, as the CASE reads it.
 */
export function eligible(eb: Eb, topic: TopicRef | undefined, now: Date) {
  return eb.and([
    eb('subscribers.status', '=', 'active'),
    eb.or([eb('subscribers.paused_until', 'is', null), eb('subscribers.paused_until', '<=', now.toISOString())]),
    eb.not(suppressed(eb)),
    ...(topic ? [subscribedTo(eb, topic)] : []),
  ]);
}
