// Segment rules read in memory, on one reader's row: a block's audience is decided per reader at
// send time. A rule is compiled once into a tree of closures, so each reader costs set look-ups and
// comparisons, with no parsing and no regex built. It means exactly what rule-sql.ts means;
// tests/integration/rules.property.int.test.ts holds the two together on both databases.
import { attributeNumber } from '../db/sql-functions.js';
import { AppError, formatPath } from '../errors.js';
import { ISO_DATE, type Rule } from './rules.js';

/** What a rule may read of a reader, fetched with the batch. */
export interface RuleReader {
  language: string;
  /** As stored: trimmed and lower-case (`Email`). */
  email: string;
  /** ISO date-time, as both databases give `created_at`. */
  createdAt: string;
  tags: ReadonlySet<string>;
  /** The keys of the topics the reader follows. */
  topics: ReadonlySet<string>;
  attributes: Readonly<Record<string, unknown>>;
}

export type ReaderTest = (reader: RuleReader) => boolean;

export const CAMPAIGN_IN_BLOCK_AUDIENCE = "a block's audience cannot name a campaign";

/**
 * Whether the rule asks who received a campaign: that is read from the delivery ledger, which a
 * reader's row does not carry, so a block's audience may not ask it.
 */
export function ruleNamesCampaign(rule: Rule): boolean {
  if ('all' in rule) return rule.all.some(ruleNamesCampaign);
  if ('any' in rule) return rule.any.some(ruleNamesCampaign);
  if ('not' in rule) return ruleNamesCampaign(rule.not);
  return 'campaign' in rule;
}

/** Compiles a parsed rule once; the test it returns is called for each reader. */
export function compileRule(rule: Rule): ReaderTest {
  return compileNode(rule, []);
}

const everyone: ReaderTest = () => true;
const noOne: ReaderTest = () => false;

function compileNode(rule: Rule, path: PropertyKey[]): ReaderTest {
  if ('all' in rule) return allOf(rule.all.map((r, i) => compileNode(r, [...path, 'all', i])));
  if ('any' in rule) return anyOf(rule.any.map((r, i) => compileNode(r, [...path, 'any', i])));
  if ('not' in rule) {
    const inner = compileNode(rule.not, [...path, 'not']);
    return (reader) => !inner(reader);
  }
  if ('topic' in rule) {
    const key = rule.topic;
    return (reader) => reader.topics.has(key);
  }
  if ('language' in rule) {
    const languages = new Set(rule.language);
    return (reader) => languages.has(reader.language);
  }
  if ('tag' in rule) {
    const tag = rule.tag;
    return (reader) => reader.tags.has(tag);
  }
  // The SQL's LIKE '%@domain' folds ASCII case on SQLite and not on PostgreSQL; addresses and
  // domains are both stored lower-case, so an exact ending means the same on both.
  if ('emailDomain' in rule) {
    const ending = `@${rule.emailDomain}`;
    return (reader) => reader.email.endsWith(ending);
  }
  if ('subscribed' in rule) {
    // The bounds as the SQL binds them: ISO instants in UTC, compared with created_at as text.
    const after = rule.subscribed.after === undefined ? undefined : new Date(rule.subscribed.after).toISOString();
    const before = rule.subscribed.before === undefined ? undefined : new Date(rule.subscribed.before).toISOString();
    return (reader) =>
      (after === undefined || reader.createdAt >= after) && (before === undefined || reader.createdAt < before);
  }
  if ('campaign' in rule) throw AppError.invalid([{ path: formatPath(path), message: CAMPAIGN_IN_BLOCK_AUDIENCE }]);
  return attributeTest(rule);
}

function allOf(tests: ReaderTest[]): ReaderTest {
  if (tests.length === 0) return everyone;
  if (tests.length === 1) return tests[0]!;
  return (reader) => {
    for (const test of tests) if (!test(reader)) return false;
    return true;
  };
}

function anyOf(tests: ReaderTest[]): ReaderTest {
  if (tests.length === 0) return noOne;
  if (tests.length === 1) return tests[0]!;
  return (reader) => {
    for (const test of tests) if (test(reader)) return true;
    return false;
  };
}

/**
 * As attributeCondition() in rule-sql.ts: a text matches only a text value, exactly; a number
 * matches a JSON number or a text that reads as one (attributeNumber, the function the SQL calls);
 * a date compares the day a text starts with. A missing attribute matches nothing but "neq".
 */
function attributeTest(rule: Extract<Rule, { attribute: string }>): ReaderTest {
  const name = rule.attribute;
  // Own keys only: an attribute named "toString" is not the object's method.
  const read = (reader: RuleReader): unknown =>
    Object.hasOwn(reader.attributes, name) ? reader.attributes[name] : undefined;
  const equals = (wanted: string | number): ReaderTest =>
    typeof wanted === 'number' ? (reader) => numberOf(read(reader)) === wanted : (reader) => read(reader) === wanted;
  switch (rule.op) {
    case 'exists':
      return (reader) => {
        const value = read(reader);
        return value !== undefined && value !== null;
      };
    case 'eq':
      return equals(rule.value as string | number);
    case 'neq': {
      const isEqual = equals(rule.value as string | number);
      return (reader) => !isEqual(reader);
    }
    case 'in': {
      const values = rule.value as (string | number)[];
      const texts = new Set(values.filter((v) => typeof v === 'string'));
      const numbers = new Set(values.filter((v) => typeof v === 'number'));
      return (reader) => {
        const value = read(reader);
        if (typeof value === 'string' && texts.has(value)) return true;
        const number = numberOf(value);
        return number !== null && numbers.has(number);
      };
    }
    case 'contains': {
      const part = rule.value as string;
      return (reader) => {
        const value = read(reader);
        return typeof value === 'string' && value.includes(part);
      };
    }
    default: {
      const op = rule.op;
      if (typeof rule.value === 'number') {
        const bound = rule.value;
        return (reader) => {
          const number = numberOf(read(reader));
          return number !== null && compare(op, number, bound);
        };
      }
      const day = (rule.value as string).slice(0, 10);
      return (reader) => {
        const value = read(reader);
        return typeof value === 'string' && ISO_DATE.test(value) && compareDay(op, value, day);
      };
    }
  }
}

const numberOf = (value: unknown): number | null => attributeNumber(typeof value, value);

type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

function compare(op: Comparison, a: number, b: number): boolean {
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

/**
 * The day `text` starts with (its first ten characters, a date) against `day`, without cutting
 * the text: both days are ten ASCII characters, so the text orders as its day does, except
 * that a text longer than its day sorts after the day it starts with.
 */
function compareDay(op: Comparison, text: string, day: string): boolean {
  if (op === 'gt') return text > day && !text.startsWith(day);
  if (op === 'gte') return text >= day;
  if (op === 'lt') return text < day;
  return text < day || text.startsWith(day);
}
