// Segment rules: who a send is for, as a small JSON language staff can build and read.
//   {"all": [rule, …]}   {"any": [rule, …]}   {"not": rule}       ({"all": []} is everyone)
//   {"topic": "border"}  {"language": ["es"]}  {"tag": "press"}  {"emailDomain": "example.org"}
//   {"attribute": "state", "op": "in", "value": ["TX", "AZ"]}
//   {"subscribed": {"after": "2025-01-01", "before": "2026-01-01"}}
//   {"campaign": 12, "received": false}
// Parsed here with zod, node by node, so an error names its path (`rule.all[2].op`). A saved
// segment, a named rule, is declared here too.
import { z } from 'zod';
import { Id } from '../http/api-routes.js';
import { AttributeName, LanguageCode, Tag, TopicKey } from './schemas.js';

export const RULE_VERSION = 1;
export const MAX_RULE_DEPTH = 8;
/**
 * Conditions and groups together. Each condition is a look-up or a read of the JSON attributes for
 * every subscriber, on one synchronous SQLite connection: 99 of them took 3.5 s over 150,000
 * subscribers, while /healthz waited (docs/reliability.md, "Pathological content").
 */
export const MAX_RULE_NODES = 10;
/** The longest domain name (RFC 1035); SQLite's LIKE refuses a pattern past 50,000 bytes. */
const MAX_DOMAIN = 253;

export const ATTRIBUTE_OPS = ['eq', 'neq', 'in', 'contains', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | { topic: string }
  | { language: string[] }
  | { tag: string }
  | { emailDomain: string }
  | { attribute: string; op: AttributeOp; value?: string | number | (string | number)[] }
  | { subscribed: { before?: string; after?: string } }
  | { campaign: number; received: boolean };

/**
 * A date (and optional time) in ISO form; compared at day precision. Written with [0-9], not \d:
 * the same source runs as a PostgreSQL regex, where \d may match other scripts' digits.
 */
export const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;

const scalar = z.union([z.string().max(500, 'must be at most 500 characters'), z.number().finite()]);
/** A calendar day that exists (no 30 February), read the same on every server. */
function isRealDay(value: string): boolean {
  const day = value.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

// A time must carry its zone (Z or an offset): without one it would mean another instant on each server.
const date = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be an ISO date such as 2025-01-31, or a date-time with its zone',
  )
  .refine(isRealDay, 'must be a real date');

const conditions = {
  topic: z.strictObject({ topic: TopicKey }),
  language: z.strictObject({ language: z.array(LanguageCode).min(1, 'must name at least one language').max(20) }),
  tag: z.strictObject({ tag: Tag }),
  emailDomain: z.strictObject({
    emailDomain: z
      .string()
      .trim()
      .toLowerCase()
      .max(MAX_DOMAIN, { error: `must be at most ${MAX_DOMAIN} characters`, abort: true })
      .regex(
        /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
        'must be a domain such as example.org',
      ),
  }),
  attribute: z
    .strictObject({
      attribute: AttributeName,
      op: z.enum(ATTRIBUTE_OPS),
      value: z.union([scalar, z.array(scalar).min(1).max(100)]).optional(),
    })
    .superRefine((c, ctx) => {
      const problem = attributeValueProblem(c.op, c.value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    }),
  subscribed: z.strictObject({
    subscribed: z
      .strictObject({ before: date.optional(), after: date.optional() })
      .refine((s) => s.before !== undefined || s.after !== undefined, 'must give before, after or both'),
  }),
  campaign: z.strictObject({ campaign: Id, received: z.boolean() }),
} as const;

type ConditionKind = keyof typeof conditions;
const KINDS = ['all', 'any', 'not', ...(Object.keys(conditions) as ConditionKind[])] as const;

function attributeValueProblem(op: AttributeOp, value: unknown): string | undefined {
  switch (op) {
    case 'exists':
      return value === undefined ? undefined : 'must be left out with "exists"';
    case 'in':
      return Array.isArray(value) ? undefined : 'must be a list with "in"';
    case 'contains':
      return typeof value === 'string' && value !== '' ? undefined : 'must be a non-empty text with "contains"';
    case 'eq':
    case 'neq':
      return value !== undefined && !Array.isArray(value) ? undefined : `must be one text or number with "${op}"`;
    default:
      return typeof value === 'number' || (typeof value === 'string' && ISO_DATE.test(value) && isRealDay(value))
        ? undefined
        : `must be a number or an ISO date with "${op}"`;
  }
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** Parses a rule; the issues name paths relative to the rule. */
export function parseRule(input: unknown): { rule: Rule; issues: [] } | { rule?: undefined; issues: Issue[] } {
  const issues: Issue[] = [];
  const count = { nodes: 0 };
  const rule = parseNode(input, [], 0, issues, count);
  return issues.length || !rule ? { issues } : { rule, issues: [] };
}

function parseNode(
  input: unknown,
  path: PropertyKey[],
  depth: number,
  issues: Issue[],
  count: { nodes: number },
): Rule | undefined {
  count.nodes += 1;
  if (count.nodes > MAX_RULE_NODES) {
    if (count.nodes === MAX_RULE_NODES + 1)
      issues.push({ path, message: `a rule may have at most ${MAX_RULE_NODES} parts` });
    return undefined;
  }
  if (depth > MAX_RULE_DEPTH) {
    issues.push({ path, message: `a rule may nest at most ${MAX_RULE_DEPTH} levels deep` });
    return undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ path, message: `must be an object with one of: ${KINDS.join(', ')}` });
    return undefined;
  }
  const kind = KINDS.find((k) => Object.hasOwn(input, k));
  if (!kind) {
    const keys = Object.keys(input);
    issues.push({ path: keys.length ? [...path, keys[0]!] : path, message: `must be one of: ${KINDS.join(', ')}` });
    return undefined;
  }
  if (kind === 'all' || kind === 'any') {
    const group = z
      .strictObject({ [kind]: z.array(z.unknown()).max(MAX_RULE_NODES, `may hold at most ${MAX_RULE_NODES} rules`) })
      .safeParse(input);
    if (!group.success) return fail(group.error, path, issues);
    const children = (group.data[kind] as unknown[]).map((child, i) =>
      parseNode(child, [...path, kind, i], depth + 1, issues, count),
    );
    return children.every((c) => c !== undefined) ? ({ [kind]: children } as Rule) : undefined;
  }
  if (kind === 'not') {
    const not = z.strictObject({ not: z.unknown() }).safeParse(input);
    if (!not.success) return fail(not.error, path, issues);
    const inner = parseNode(not.data.not, [...path, 'not'], depth + 1, issues, count);
    return inner && { not: inner };
  }
  const parsed = conditions[kind].safeParse(input);
  return parsed.success ? (parsed.data as Rule) : fail(parsed.error, path, issues);
}

function fail(error: z.ZodError, path: PropertyKey[], issues: Issue[]): undefined {
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : [];
    issues.push({
      path: [...path, ...issue.path, ...keys],
      message: issue.code === 'unrecognized_keys' ? 'is not a field of this condition' : issue.message,
    });
  }
  return undefined;
}

/** The tags a rule names, wherever they sit in it (under "not" too), in order, repeats and all. */
export function tagsIn(rule: Rule): string[] {
  if ('all' in rule) return rule.all.flatMap(tagsIn);
  if ('any' in rule) return rule.any.flatMap(tagsIn);
  if ('not' in rule) return tagsIn(rule.not);
  return 'tag' in rule ? [rule.tag] : [];
}

/** The rule as a zod schema, for request bodies: errors come out as `rule.any[1].op`-style paths. */
export const RuleSchema = z
  .unknown()
  .transform((value, ctx) => {
    const result = parseRule(value);
    for (const issue of result.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return result.rule ?? z.NEVER;
  })
  .meta({
    description:
      'A segment rule: {"all": [...]}, {"any": [...]}, {"not": rule}, or a condition on topic, language, tag, ' +
      'emailDomain, attribute (op eq|neq|in|contains|exists|gt|gte|lt|lte), subscribed {before, after}, ' +
      'or campaign {campaign, received}. See docs/audience.md.',
  });

/** A saved segment, as the API answers it (here rather than in schemas.ts, which this file reads). */
export const Segment = z.object({
  id: z.number(),
  name: z.string(),
  rule: RuleSchema,
  ruleVersion: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Segment = z.infer<typeof Segment>;
