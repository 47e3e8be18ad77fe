// A plain in-memory reading of segment rules, written from docs/audience.md and nothing else,
// for the property test to hold the SQL to.
import { ISO_DATE, type Rule } from '../../src/audience/rules.js';
import { NUMERIC_TEXT } from '../../src/db/sql-functions.js';

export interface PlainSubscriber {
  email: string;
  language: string;
  tags: string[];
  topics: string[];
  attributes: Record<string, unknown>;
  createdAt: string;
  /** The subscriber's rows in the delivery ledger: which campaign, in which status. */
  deliveries: { campaign: number; status: string }[];
}

export function evaluate(rule: Rule, s: PlainSubscriber): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluate(r, s));
  if ('any' in rule) return rule.any.some((r) => evaluate(r, s));
  if ('not' in rule) return !evaluate(rule.not, s);
  if ('topic' in rule) return s.topics.includes(rule.topic);
  if ('language' in rule) return rule.language.includes(s.language);
  if ('tag' in rule) return s.tags.includes(rule.tag);
  if ('emailDomain' in rule) return s.email.endsWith(`@${rule.emailDomain}`);
  if ('subscribed' in rule) {
    const { after, before } = rule.subscribed;
    return (
      (!after || s.createdAt >= new Date(after).toISOString()) &&
      (!before || s.createdAt < new Date(before).toISOString())
    );
  }
  if ('campaign' in rule) {
    const received = s.deliveries.some(
      (d) => d.campaign === rule.campaign && (d.status === 'sent' || d.status === 'unknown'),
    );
    return received === rule.received;
  }

  const value = Object.hasOwn(s.attributes, rule.attribute) ? s.attributes[rule.attribute] : undefined;
  const text = typeof value === 'string' ? value : null;
  const number = typeof value === 'number' ? value : text !== null && NUMERIC_TEXT.test(text) ? Number(text) : null;
  const day = text !== null && ISO_DATE.test(text) ? text.slice(0, 10) : null;
  const equals = (v: string | number) => (typeof v === 'number' ? number === v : text === v);
  const compare = (a: number | string | null, b: number | string) => {
    if (a === null) return false;
    switch (rule.op) {
      case 'gt':
        return a > b;
      case 'gte':
        return a >= b;
      case 'lt':
        return a < b;
      default:
        return a <= b;
    }
  };
  switch (rule.op) {
    case 'exists':
      return value !== undefined && value !== null;
    case 'eq':
      return equals(rule.value as string | number);
    case 'neq':
      return !equals(rule.value as string | number);
    case 'in':
      return (rule.value as (string | number)[]).some(equals);
    case 'contains':
      return text?.includes(rule.value as string) ?? false;
    default:
      return typeof rule.value === 'number'
        ? compare(number, rule.value)
        : compare(day, (rule.value as string).slice(0, 10));
  }
}
