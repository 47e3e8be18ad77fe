// Compiles a segment rule to a Kysely expression over `subscribers`. Every value from the rule
// is a bound parameter; only the shape of the SQL comes from the rule. Each condition is
// two-valued (never NULL), so {"not": …} means exactly "everyone else", as it reads.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { DeliveryStatus, Tables } from '../db/schema.js';
import { ISO_DATE, type Rule } from './rules.js';

type Eb = ExpressionBuilder<Tables, 'subscribers'>;
type Bool = Expression<SqlBool>;

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

export function ruleExpression(eb: Eb, rule: Rule, kind: DatabaseKind): Bool {
  if ('all' in rule) return rule.all.length ? allOf(eb, rule.all, kind) : TRUE;
  if ('any' in rule) return rule.any.length ? eb.or(rule.any.map((r) => ruleExpression(eb, r, kind))) : FALSE;
  if ('not' in rule) return eb.not(ruleExpression(eb, rule.not, kind));
  if ('topic' in rule) return subscribedTo(eb, rule.topic);
  if ('language' in rule) return eb('subscribers.language', 'in', rule.language);
  if ('tag' in rule) {
    return eb.exists(
      eb
        .selectFrom('subscriber_tags')
        .select(sql`1`.as('one'))
        .whereRef('subscriber_tags.subscriber_id', '=', 'subscribers.id')
        .where('subscriber_tags.tag', '=', rule.tag),
    );
  }
  // The domain is validated to letters, digits, dots and dashes: no LIKE wildcard can come in.
  if ('emailDomain' in rule) return eb('subscribers.email', 'like', `%@${rule.emailDomain}`);
  if ('subscribed' in rule) {
    const { before, after } = rule.subscribed;
    return eb.and([
      ...(after ? [eb('subscribers.created_at', '>=', new Date(after).toISOString())] : []),
      ...(before ? [eb('subscribers.created_at', '<', new Date(before).toISOString())] : []),
    ]);
  }
  if ('campaign' in rule)
    return rule.received ? receivedCampaign(eb, rule.campaign) : eb.not(receivedCampaign(eb, rule.campaign));
  return attributeCondition(eb, rule, kind);
}

/** Conditions that look a subscriber up in another table: a probe of that table's index each. */
const PROBES = ['topic', 'tag', 'campaign'] as const;

/**
 * Every one of the rules. SQLite tests a correlated subquery (a topic, a tag, a campaign) after
 * every other condition of its WHERE, so an attribute's JSON was read on every row the indexes
 * yield, also on the rows a topic's index probe then ruled out: at a million, 333,000 Spanish
 * rows read for the 83,000 following the topic. On SQLite the attribute conditions go behind the
 * probes, in a CASE, so they read only rows that pass them (docs/performance.md, scale 10). The
 * CASE is the AND of the two, as every condition here is two-valued.
 */
function allOf(eb: Eb, rules: readonly Rule[], kind: DatabaseKind): Bool {
  const probes = rules.filter((r) => PROBES.some((key) => key in r));
  const reads: Rule[] = rules.filter((r) => 'attribute' in r);
  if (kind !== 'sqlite' || probes.length === 0 || reads.length === 0) {
    return eb.and(rules.map((r) => ruleExpression(eb, r, kind)));
  }
  const rest = rules.filter((r) => !probes.includes(r) && !reads.includes(r));
  const all = (some: Rule[]) => eb.and(some.map((r) => ruleExpression(eb, r, kind)));
  return eb.and([
    ...rest.map((r) => ruleExpression(eb, r, kind)),
    sql<SqlBool>`(case when ${all(probes)} then ${all(reads)} else 0 end)`,
  ]);
}

/**
 * Subscribed to the topic with this key, or with this id when the caller has looked it up. The
 * key is turned into an id once (a scalar subquery the database runs before the rows), so each
 * subscriber costs one probe of the subscriptions primary key and no join with `topics`.
 */
export function subscribedTo(eb: Eb, topic: string | { id: number }): Bool {
  const topicId =
    typeof topic === 'string'
      ? eb.selectFrom('topics').select('topics.id').where('topics.key', '=', topic)
      : eb.val(topic.id);
  return eb.exists(
    eb
      .selectFrom('subscriptions')
      .select(sql`1`.as('one'))
      .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
      .where('subscriptions.topic_id', '=', topicId),
  );
}

/**
 * A delivery counts as received once SES took it ('sent') or may have ('unknown': the worker
 * stopped mid-send), so a follow-up "to those who did not get it" never mails anyone twice.
 * The UNIQUE (campaign_id, subscriber_id) index answers it without reading the ledger.
 */
const RECEIVED_STATUSES = ['sent', 'unknown'] as const satisfies readonly DeliveryStatus[];

function receivedCampaign(eb: Eb, campaignId: number): Bool {
  return eb.exists(
    eb
      .selectFrom('deliveries')
      .select(sql`1`.as('one'))
      .whereRef('deliveries.subscriber_id', '=', 'subscribers.id')
      .where('deliveries.campaign_id', '=', campaignId)
      .where('deliveries.status', 'in', RECEIVED_STATUSES),
  );
}

/**
 * Attribute conditions. Texts match only text values, exactly (case and all); numbers match
 * JSON numbers and texts that read as numbers; ISO dates compare at day precision. A missing
 * attribute matches nothing but "neq" (and "not").
 */
function attributeCondition(eb: Eb, rule: Extract<Rule, { attribute: string }>, kind: DatabaseKind): Bool {
  const value = attributeAccess(rule.attribute, kind);
  const equals = (v: string | number): Bool =>
    typeof v === 'number'
      ? sql<SqlBool>`coalesce(${value.number} = ${v}, false)`
      : sql<SqlBool>`coalesce(${value.text} = ${v}, false)`;
  switch (rule.op) {
    case 'exists':
      return value.exists;
    case 'eq':
      return equals(rule.value as string | number);
    case 'neq':
      return eb.not(equals(rule.value as string | number));
    case 'in': {
      // One IN for the texts and one for the numbers: each reads the attribute once, not once a value.
      const values = rule.value as (string | number)[];
      const texts = values.filter((v) => typeof v === 'string');
      const numbers = values.filter((v) => typeof v === 'number');
      return eb.or([
        ...(texts.length ? [sql<SqlBool>`coalesce(${value.text} in (${sql.join(texts)}), false)`] : []),
        ...(numbers.length ? [sql<SqlBool>`coalesce(${value.number} in (${sql.join(numbers)}), false)`] : []),
      ]);
    }
    case 'contains': {
      const position =
        kind === 'postgres' ? sql`strpos(${value.text}, ${rule.value})` : sql`instr(${value.text}, ${rule.value})`;
      return sql<SqlBool>`coalesce(${position} > 0, false)`;
    }
    default: {
      const op = sql.raw({ gt: '>', gte: '>=', lt: '<', lte: '<=' }[rule.op]);
      if (typeof rule.value === 'number') return sql<SqlBool>`coalesce(${value.number} ${op} ${rule.value}, false)`;
      return sql<SqlBool>`coalesce(${value.day} ${op} ${(rule.value as string).slice(0, 10)}, false)`;
    }
  }
}

/** The attribute read as text, number and day, and whether it is set; the name is a parameter. */
function attributeAccess(name: string, kind: DatabaseKind) {
  if (kind === 'postgres') {
    const json = sql`(subscribers.attributes -> ${name}::text)`;
    const isText = sql`jsonb_typeof(${json}) = 'string'`;
    const text = sql<string>`(case when ${isText} then subscribers.attributes ->> ${name}::text end)`;
    return {
      text,
      number: sql<number>`pregon_number(${json})`,
      day: sql<string>`(case when ${text} ~ ${ISO_DATE.source}::text then substr(${text}, 1, 10) end)`,
      exists: sql<SqlBool>`coalesce(jsonb_typeof(${json}), 'null') <> 'null'`,
    };
  }
  // SQLite's JSON path names the key in double quotes, which AttributeName never contains.
  const path = `$."${name}"`;
  const type = sql`json_type(subscribers.attributes, ${path})`;
  const text = sql<string>`(case when ${type} = 'text' then json_extract(subscribers.attributes, ${path}) end)`;
  const isDay = sql`${text} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'`;
  return {
    text,
    number: sql<number>`pregon_number(${type}, json_extract(subscribers.attributes, ${path}))`,
    day: sql<string>`(case when ${isDay} then substr(${text}, 1, 10) end)`,
    exists: sql<SqlBool>`coalesce(${type}, 'null') <> 'null'`,
  };
}
