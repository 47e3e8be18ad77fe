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
    if (topic && !(await this.db.selectFrom('topics').select('id').where('key', '=', topic).executeTakeFirst())) {
      throw AppError.invalid([{ path: 'topic', message: `no topic with key "${topic}"` }]);
    }
    const audience = this.audience(rule, topic, now);
    const [groups, sample] = await Promise.all([
      this.db
        .selectFrom(audience.as('audience'))
        .select(['audience.reason', 'audience.language', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['audience.reason', 'audience.language'])
        .execute(),
      this.db
        .selectFrom(audience.as('audience'))
        .select(['audience.id', 'audience.email', 'audience.name', 'audience.language'])
        .where('audience.reason', '=', 'eligible')
        .orderBy('audience.id')
        .limit(SAMPLE_SIZE)
        .execute(),
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
    const row = await this.db
      .selectFrom('subscribers')
      .where((eb) => ruleExpression(eb, rule, this.kind))
      .where((eb) => eb(exclusionReason(eb, topic, now), '=', sql.lit('eligible')))
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

  private audience(rule: Rule, topic: string | undefined, now: Date) {
    return audienceQuery(this.db, this.kind, rule, topic, now);
  }
}

/** The rule's selection with each subscriber's reason to be left out, or 'eligible'; sends snapshot it. */
export function audienceQuery(
  db: Kysely<Tables>,
  kind: DatabaseKind,
  rule: Rule,
  topic: string | undefined,
  now: Date,
) {
  return db
    .selectFrom('subscribers')
    .where((eb) => ruleExpression(eb, rule, kind))
    .select([
      'subscribers.id',
      'subscribers.email',
      'subscribers.name',
      'subscribers.language',
      (eb) => exclusionReason(eb, topic, now).as('reason'),
    ]);
}

/**
 * Who may be mailed, decided here and nowhere else: the first of EXCLUSION_REASONS that applies
 * to the subscriber at `now`, or 'eligible'. A send's snapshot asks it, and so does each batch
 * when it claims its rows, so a change made during a send is judged by the rules that chose the
 * audience. `topic` is the bulletin's topic key, when it has one.
 */
export function exclusionReason(eb: ExpressionBuilder<Tables, 'subscribers'>, topic: string | undefined, now: Date) {
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
    .when(
      eb.exists(
        eb
          .selectFrom('suppressions')
          .select(sql`1`.as('one'))
          .whereRef('suppressions.email_hash', '=', 'subscribers.email_hash'),
      ),
    )
    .then(sql.lit('suppressed'));
  return (topic ? reasons.when(eb.not(subscribedTo(eb, topic))).then(sql.lit('not_in_topic')) : reasons)
    .else(sql.lit('eligible'))
    .end();
}
