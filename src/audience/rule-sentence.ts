// A segment rule as an English sentence for staff: the label a test send and the preview put above a
// block with an audience ("Shown to: readers without the tag signed-petition").
import { languageName } from './languages.js';
import { ISO_DATE, type AttributeOp, type Rule } from './rules.js';

/** Who the rule picks, as a phrase: "everyone", "no one", or "readers …". */
export function describeRule(rule: Rule): string {
  if ('all' in rule && rule.all.length === 0) return 'everyone';
  if ('any' in rule && rule.any.length === 0) return 'no one';
  return `readers ${phrase(rule)}`;
}

/** What a reader of the rule is, after "readers". */
function phrase(rule: Rule): string {
  if ('all' in rule) return group(rule.all, 'and');
  if ('any' in rule) return group(rule.any, 'or');
  if ('not' in rule) return negated(rule.not);
  if ('topic' in rule) return `following the topic ${rule.topic}`;
  if ('language' in rule) return `reading in ${rule.language.map(languageName).join(' or ')}`;
  if ('tag' in rule) return `with the tag ${rule.tag}`;
  if ('emailDomain' in rule) return `with an address at ${rule.emailDomain}`;
  if ('subscribed' in rule) {
    const { after, before } = rule.subscribed;
    if (after && before) return `who subscribed from ${after} until before ${before}`;
    return after ? `who subscribed on or after ${after}` : `who subscribed before ${before}`;
  }
  if ('campaign' in rule) return `who ${rule.received ? 'received' : 'did not receive'} campaign ${rule.campaign}`;
  return `whose attribute ${rule.attribute} ${attributePhrase(rule.op, rule.value)}`;
}

/** "with the tag a and with the tag b"; a group inside a group is bracketed, so "and" and "or" never blur. */
function group(rules: Rule[], word: 'and' | 'or'): string {
  if (rules.length === 0) return word === 'and' ? 'of any kind' : 'matching no rule';
  const nested = (r: Rule) => ('all' in r && r.all.length > 0) || ('any' in r && r.any.length > 0);
  return rules.map((r) => (nested(r) ? `(${phrase(r)})` : phrase(r))).join(` ${word} `);
}

/** The plain negations read naturally ("without the tag x"); anything else is "not (…)". */
function negated(rule: Rule): string {
  if ('tag' in rule) return `without the tag ${rule.tag}`;
  if ('topic' in rule) return `not following the topic ${rule.topic}`;
  if ('language' in rule) return `not reading in ${rule.language.map(languageName).join(' or ')}`;
  if ('emailDomain' in rule) return `without an address at ${rule.emailDomain}`;
  if ('campaign' in rule) return phrase({ campaign: rule.campaign, received: !rule.received });
  if ('not' in rule) return phrase(rule.not);
  return `not (${phrase(rule)})`;
}

function attributePhrase(op: AttributeOp, value: string | number | (string | number)[] | undefined): string {
  const show = (v: string | number) => (typeof v === 'number' ? String(v) : `"${v}"`);
  const isDay = typeof value === 'string' && ISO_DATE.test(value);
  const day = isDay ? (value as string).slice(0, 10) : '';
  switch (op) {
    case 'exists':
      return 'is set';
    case 'eq':
      return `is ${show(value as string | number)}`;
    case 'neq':
      return `is not ${show(value as string | number)}`;
    case 'in':
      return `is one of ${(value as (string | number)[]).map(show).join(', ')}`;
    case 'contains':
      return `contains ${show(value as string)}`;
    case 'gt':
      return isDay ? `is a day after ${day}` : `is more than ${value}`;
    case 'gte':
      return isDay ? `is a day on or after ${day}` : `is ${value} or more`;
    case 'lt':
      return isDay ? `is a day before ${day}` : `is less than ${value}`;
    case 'lte':
      return isDay ? `is a day on or before ${day}` : `is ${value} or less`;
  }
}
