// A segment rule in words, for staff: a block's badge in the composer ("tag signed-petition"), a
// version's change of audience. Pure and without Node imports: the staff app runs it too.
import type { Rule } from './rules.js';

const OPS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  contains: 'contains',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
};

/** "tag signed-petition", "not (tag press or language es)", "state is one of TX, AZ"; {"all": []} is "everyone". */
export function ruleWords(rule: Rule): string {
  return words(rule, true);
}

function words(rule: Rule, top: boolean): string {
  const group = (parts: Rule[], joiner: string, empty: string) => {
    if (parts.length === 0) return empty;
    if (parts.length === 1) return words(parts[0]!, top);
    const text = parts.map((part) => words(part, false)).join(joiner);
    return top ? text : `(${text})`;
  };
  if ('all' in rule) return group(rule.all, ' and ', 'everyone');
  if ('any' in rule) return group(rule.any, ' or ', 'no one');
  if ('not' in rule) return `not ${words(rule.not, false)}`;
  if ('topic' in rule) return `topic ${rule.topic}`;
  if ('language' in rule) return `language ${rule.language.join(' or ')}`;
  if ('tag' in rule) return `tag ${rule.tag}`;
  if ('emailDomain' in rule) return `address at ${rule.emailDomain}`;
  if ('subscribed' in rule) {
    const { after, before } = rule.subscribed;
    return ['subscribed', after && `after ${after}`, before && `before ${before}`].filter(Boolean).join(' ');
  }
  if ('campaign' in rule) return `${rule.received ? 'received' : 'did not receive'} campaign ${rule.campaign}`;
  if (rule.op === 'exists') return `${rule.attribute} is set`;
  const value = Array.isArray(rule.value) ? rule.value.join(', ') : String(rule.value);
  return `${rule.attribute} ${OPS[rule.op]} ${value}`;
}
