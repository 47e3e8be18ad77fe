// The rule language (src/audience/rules.ts, docs/audience.md) as the rule builder edits it: a tree
// of groups and conditions whose inputs are kept as typed, turned into a rule for the server.
import type { AttributeOp, Rule } from '../../audience/rules.js';
import { splitList } from '../subscribers/split-list.js';

export type { AttributeOp, Rule };

/** The server's list, repeated: importing the value would bring zod into the app; the type checks each one. */
export const ATTRIBUTE_OPS = [
  'eq',
  'neq',
  'in',
  'contains',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const satisfies readonly AttributeOp[];

export const CONDITION_TYPES = [
  'topic',
  'language',
  'tag',
  'emailDomain',
  'attribute',
  'subscribed',
  'campaign',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface ConditionNode {
  key: number;
  kind: 'condition';
  /** Selects those the condition does not. */
  not: boolean;
  type: ConditionType;
  /** The topic key, tag, domain or attribute name, by type; kept across type changes so nothing typed is lost. */
  text: string;
  languages: string[];
  op: AttributeOp;
  value: string;
  /**
   * Whether "is", "is not" and "is one of" compare numbers: a number matches only a Number
   * attribute (or a text that reads as one), a text only a text, exactly.
   */
  numeric: boolean;
  after: string;
  before: string;
  campaign: string;
  received: boolean;
}

export interface GroupNode {
  key: number;
  kind: 'group';
  not: boolean;
  match: 'all' | 'any';
  children: BuilderNode[];
}

export type BuilderNode = ConditionNode | GroupNode;

let lastKey = 0;
const nextKey = () => ++lastKey;

export function newCondition(type: ConditionType = 'topic'): ConditionNode {
  return {
    key: nextKey(),
    kind: 'condition',
    not: false,
    type,
    text: '',
    languages: [],
    op: 'eq',
    value: '',
    numeric: false,
    after: '',
    before: '',
    campaign: '',
    received: true,
  };
}

export function newGroup(match: 'all' | 'any' = 'all', children: BuilderNode[] = []): GroupNode {
  return { key: nextKey(), kind: 'group', not: false, match, children };
}

/**
 * The rule the tree stands for. Unfinished inputs go to the server as they are: its answer names
 * what is wrong, by path.
 */
export function toRule(node: BuilderNode): Rule {
  const rule = node.kind === 'group' ? ({ [node.match]: node.children.map(toRule) } as Rule) : conditionRule(node);
  return node.not ? { not: rule } : rule;
}

function conditionRule(c: ConditionNode): Rule {
  switch (c.type) {
    case 'topic':
      return { topic: c.text };
    case 'language':
      return { language: c.languages };
    case 'tag':
      return { tag: c.text };
    case 'emailDomain':
      return { emailDomain: c.text };
    case 'attribute':
      return { attribute: c.text, op: c.op, ...attributeValue(c.op, c.value, c.numeric) };
    case 'subscribed':
      return { subscribed: { ...(c.after ? { after: c.after } : {}), ...(c.before ? { before: c.before } : {}) } };
    case 'campaign':
      return { campaign: Number(c.campaign), received: c.received };
  }
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Texts stay texts (CSV attributes are texts, compared exactly) unless the condition compares
 * numbers; comparisons take a number when the value reads as one. A value that does not read as a
 * number goes as text, for the server to match or name.
 */
function attributeValue(op: AttributeOp, value: string, numeric: boolean): Pick<AttributeRule, 'value'> {
  const typed = (v: string) => (NUMBER.test(v.trim()) ? Number(v) : v);
  if (op === 'exists') return {};
  if (op === 'in') return { value: numeric ? splitList(value).map(typed) : splitList(value) };
  if (numeric || ['gt', 'gte', 'lt', 'lte'].includes(op)) return { value: typed(value) };
  return { value };
}

type AttributeRule = Extract<Rule, { attribute: string }>;

/** Whether a saved rule's "is", "is not" or "is one of" compares numbers. */
function comparesNumbers(rule: AttributeRule): boolean {
  const values = Array.isArray(rule.value) ? rule.value : [rule.value];
  return ['eq', 'neq', 'in'].includes(rule.op) && values.some((v) => typeof v === 'number');
}

/**
 * Whether every condition has what it needs (a tag, a topic, a language, a value…), so the rule
 * would not be refused for a field left empty. What is wrong otherwise (a domain, a date) is the
 * server's to name.
 */
export function isFilledIn(node: BuilderNode): boolean {
  if (node.kind === 'group') return node.children.every(isFilledIn);
  switch (node.type) {
    case 'language':
      return node.languages.length > 0;
    case 'attribute':
      return node.text.trim() !== '' && (node.op === 'exists' || node.value.trim() !== '');
    case 'subscribed':
      return node.after !== '' || node.before !== '';
    case 'campaign':
      return node.campaign !== '';
    default:
      return node.text.trim() !== '';
  }
}

/** The tree for a rule (a saved segment's, to edit a copy); always a group at the top. */
export function fromRule(rule: Rule): GroupNode {
  const node = toNode(rule);
  return node.kind === 'group' ? node : newGroup('all', [node]);
}

function toNode(rule: Rule): BuilderNode {
  if ('not' in rule) {
    const inner = toNode(rule.not);
    return { ...inner, not: !inner.not };
  }
  if ('all' in rule) return newGroup('all', rule.all.map(toNode));
  if ('any' in rule) return newGroup('any', rule.any.map(toNode));
  const c = newCondition();
  if ('topic' in rule) return { ...c, type: 'topic', text: rule.topic };
  if ('language' in rule) return { ...c, type: 'language', languages: rule.language };
  if ('tag' in rule) return { ...c, type: 'tag', text: rule.tag };
  if ('emailDomain' in rule) return { ...c, type: 'emailDomain', text: rule.emailDomain };
  if ('attribute' in rule) {
    const value =
      rule.value === undefined ? '' : Array.isArray(rule.value) ? rule.value.join(', ') : String(rule.value);
    return { ...c, type: 'attribute', text: rule.attribute, op: rule.op, value, numeric: comparesNumbers(rule) };
  }
  if ('subscribed' in rule)
    return { ...c, type: 'subscribed', after: rule.subscribed.after ?? '', before: rule.subscribed.before ?? '' };
  return { ...c, type: 'campaign', campaign: String(rule.campaign), received: rule.received };
}

/** Where a child sits in the rule, as the server names paths in its errors: `rule.all[2]`, `rule.not.any[0]`. */
export function childPath(group: GroupNode, groupPath: string, index: number): string {
  return `${innerPath(group, groupPath)}.${group.match}[${index}]`;
}

/** The path of a node's own fields: inside its "not" when it has one. */
export function innerPath(node: BuilderNode, path: string): string {
  return node.not ? `${path}.not` : path;
}
