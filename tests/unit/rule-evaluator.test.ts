// The in-memory evaluator a block's audience will use, on the hostile values the property test
// feeds the SQL (tests/integration/rules.property.int.test.ts), each answer written out by hand
// and checked against the test's own plain reading of docs/audience.md as well.
import { describe, expect, it } from 'vitest';
import { compileRule, ruleNamesCampaign, type RuleReader } from '../../src/audience/rule-evaluator.js';
import { parseRule, type Rule } from '../../src/audience/rules.js';
import { AppError } from '../../src/errors.js';
import { evaluate } from '../helpers/rule-evaluator.js';

function reader(attributes: Record<string, unknown>, more: Partial<RuleReader> = {}): RuleReader {
  return {
    language: 'es',
    email: 'o.brien@mail.example.org',
    createdAt: '2024-05-01T00:00:00.000Z',
    tags: new Set(["it's", '100%_sure']),
    topics: new Set(['border']),
    attributes,
    ...more,
  };
}

/** The rule as the API would parse it, compiled, on the reader; the plain evaluator must agree. */
function selects(input: unknown, r: RuleReader): boolean {
  const { rule, issues } = parseRule(input);
  expect(issues).toEqual([]);
  const answer = compileRule(rule!)(r);
  const plain = evaluate(rule!, { ...r, tags: [...r.tags], topics: [...r.topics], deliveries: [] });
  expect(answer, `the plain evaluator on ${JSON.stringify(input)}`).toBe(plain);
  return answer;
}

describe('a rule evaluated in memory', () => {
  it('matches texts literally: quotes, %, _, backslashes, long texts, injection', () => {
    const note = (value: unknown) => reader({ note: value, '%_': '50%_off', "o'clock": 'back\\slash' });
    expect(selects({ attribute: 'note', op: 'eq', value: "O'Brien" }, note("O'Brien"))).toBe(true);
    expect(selects({ attribute: 'note', op: 'eq', value: "O'Brien" }, note("o'brien"))).toBe(false);
    expect(selects({ attribute: '%_', op: 'eq', value: '50%_off' }, note(''))).toBe(true);
    expect(selects({ attribute: '%_', op: 'eq', value: '50%' }, note(''))).toBe(false);
    expect(selects({ attribute: 'note', op: 'contains', value: '%' }, note('50%_off'))).toBe(true);
    expect(selects({ attribute: 'note', op: 'contains', value: '%' }, note('50 off'))).toBe(false);
    expect(selects({ attribute: 'note', op: 'contains', value: '_' }, note('x_y'))).toBe(true);
    expect(selects({ attribute: 'note', op: 'contains', value: '_' }, note('xy'))).toBe(false);
    expect(selects({ attribute: "o'clock", op: 'eq', value: 'back\\slash' }, note(''))).toBe(true);
    expect(selects({ attribute: 'note', op: 'eq', value: 'x'.repeat(300) }, note('x'.repeat(300)))).toBe(true);
    expect(selects({ attribute: 'note', op: 'eq', value: 'x'.repeat(300) }, note('x'.repeat(299)))).toBe(false);
    expect(selects({ attribute: 'state', op: 'eq', value: "'; drop table subscribers; --" }, note(''))).toBe(false);
    expect(selects({ tag: "it's" }, note(''))).toBe(true);
    expect(selects({ tag: '100%_sure' }, note(''))).toBe(true);
    expect(selects({ tag: '100%' }, note(''))).toBe(false);
  });

  it('"contains" keeps case and needs a text', () => {
    expect(selects({ attribute: 'state', op: 'contains', value: 'T' }, reader({ state: 'TX' }))).toBe(true);
    expect(selects({ attribute: 'state', op: 'contains', value: 'T' }, reader({ state: 'tx' }))).toBe(false);
    expect(selects({ attribute: 'n', op: 'contains', value: '4' }, reader({ n: 42 }))).toBe(false);
    expect(selects({ attribute: 'n', op: 'contains', value: '4' }, reader({ n: '42' }))).toBe(true);
  });

  it('compares texts with texts, numbers with numbers and texts that read as numbers', () => {
    const eq = (value: string | number, attribute: unknown) =>
      selects({ attribute: 'age', op: 'eq', value }, reader({ age: attribute }));
    expect(eq(7, '007')).toBe(true);
    expect(eq('7', '007')).toBe(false);
    expect(eq('42', 42)).toBe(false);
    expect(eq(42, 42)).toBe(true);
    expect(eq(-3.5, '-3.5')).toBe(true);
    expect(eq(1000, '1e3')).toBe(false);
    expect(eq(1, true)).toBe(false);
    expect(eq(1, { nested: 1 })).toBe(false);
    expect(selects({ attribute: 'age', op: 'gt', value: 41.5 }, reader({ age: '42' }))).toBe(true);
    expect(selects({ attribute: 'age', op: 'lte', value: 0 }, reader({ age: '-0' }))).toBe(true);
    expect(selects({ attribute: 'age', op: 'lt', value: 100 }, reader({ age: 'young' }))).toBe(false);
    expect(selects({ attribute: 'age', op: 'in', value: ['42', 7] }, reader({ age: '007' }))).toBe(true);
    expect(selects({ attribute: 'age', op: 'in', value: ['42', 7] }, reader({ age: '42' }))).toBe(true);
    expect(selects({ attribute: 'age', op: 'in', value: ['42', 7] }, reader({ age: 42 }))).toBe(false);
    expect(selects({ attribute: 'age', op: 'in', value: ['tx'] }, reader({ age: 'TX' }))).toBe(false);
  });

  it('compares dates by the day a text starts with, and only ASCII digits make a date', () => {
    const joined = (op: string, value: string, attribute: unknown) =>
      selects({ attribute: 'joined', op, value }, reader({ joined: attribute }));
    expect(joined('gt', '2023-12-31', '2023-12-31T10:00:00Z')).toBe(false);
    expect(joined('gte', '2023-12-31', '2023-12-31T10:00:00Z')).toBe(true);
    expect(joined('lt', '2023-12-31', '2023-12-31T10:00:00Z')).toBe(false);
    expect(joined('lte', '2023-12-31T23:00:00Z', '2023-12-31T10:00:00Z')).toBe(true);
    expect(joined('gt', '2023-12-30', '2023-12-31T10:00:00Z')).toBe(true);
    expect(joined('lt', '2024-01-01', '2023-12-31')).toBe(true);
    expect(joined('gt', '2024-01-01', '2024-05-01')).toBe(true);
    expect(joined('gt', '2000-01-01', '٢٠٢٤-٠١-٠١')).toBe(false);
    expect(joined('lt', '2030-01-01', '٢٠٢٤-٠١-٠١')).toBe(false);
    expect(joined('gt', '2000-01-01', 20240101)).toBe(false);
  });

  it('"exists" is false on null, "neq" selects those without the attribute', () => {
    expect(selects({ attribute: 'note', op: 'exists' }, reader({ note: null }))).toBe(false);
    expect(selects({ attribute: 'note', op: 'exists' }, reader({ note: false }))).toBe(true);
    expect(selects({ attribute: 'note', op: 'exists' }, reader({ note: '' }))).toBe(true);
    expect(selects({ attribute: 'note', op: 'neq', value: 'x' }, reader({}))).toBe(true);
    expect(selects({ attribute: 'note', op: 'neq', value: 'x' }, reader({ note: null }))).toBe(true);
    expect(selects({ attribute: 'note', op: 'neq', value: 'x' }, reader({ note: 'x' }))).toBe(false);
    expect(selects({ not: { attribute: 'note', op: 'eq', value: 'x' } }, reader({}))).toBe(true);
  });

  it('reads only the attributes the reader has, not what every object inherits', () => {
    expect(selects({ attribute: 'toString', op: 'exists' }, reader({}))).toBe(false);
    expect(selects({ attribute: 'hasOwnProperty', op: 'neq', value: 'x' }, reader({}))).toBe(true);
    expect(selects({ attribute: 'toString', op: 'eq', value: 'x' }, reader({ toString: 'x' }))).toBe(true);
  });

  it('matches a domain exactly, not its subdomains or a longer name', () => {
    const at = (email: string) => reader({}, { email });
    expect(selects({ emailDomain: 'example.org' }, at('ana@example.org'))).toBe(true);
    expect(selects({ emailDomain: 'Example.ORG' }, at('ana@example.org'))).toBe(true);
    expect(selects({ emailDomain: 'example.org' }, at('ana@mail.example.org'))).toBe(false);
    expect(selects({ emailDomain: 'example.org' }, at('ana@myexample.org'))).toBe(false);
    expect(selects({ emailDomain: 'example.org' }, at('ana@example.org.uk'))).toBe(false);
  });

  it('"subscribed" counts from "after" on and stops before "before", zones included', () => {
    const joined = (createdAt: string) => reader({}, { createdAt });
    expect(selects({ subscribed: { after: '2024-05-01' } }, joined('2024-05-01T00:00:00.000Z'))).toBe(true);
    expect(selects({ subscribed: { after: '2024-05-01' } }, joined('2024-04-30T23:59:59.999Z'))).toBe(false);
    expect(selects({ subscribed: { before: '2024-05-01' } }, joined('2024-05-01T00:00:00.000Z'))).toBe(false);
    expect(selects({ subscribed: { before: '2024-05-01' } }, joined('2024-04-30T23:59:59.999Z'))).toBe(true);
    const window = { subscribed: { after: '2024-05-01T02:00:00+02:00', before: '2024-05-01T01:00:00.001Z' } };
    expect(selects(window, joined('2024-04-30T23:59:59.999Z'))).toBe(false);
    expect(selects(window, joined('2024-05-01T00:00:00.000Z'))).toBe(true);
    expect(selects(window, joined('2024-05-01T01:00:00.000Z'))).toBe(true);
    expect(selects(window, joined('2024-05-01T01:00:00.001Z'))).toBe(false);
  });

  it('reads languages, topics and groups as the rules table says', () => {
    const r = reader({ state: 'TX' });
    expect(selects({ language: ['en', 'ES'] }, r)).toBe(true);
    expect(selects({ language: ['en'] }, r)).toBe(false);
    expect(selects({ topic: 'border' }, r)).toBe(true);
    expect(selects({ topic: 'weekly' }, r)).toBe(false);
    expect(selects({ all: [] }, r)).toBe(true);
    expect(selects({ any: [] }, r)).toBe(false);
    expect(selects({ all: [{ topic: 'border' }, { attribute: 'state', op: 'in', value: ['TX', 'AZ'] }] }, r)).toBe(
      true,
    );
    expect(selects({ any: [{ topic: 'weekly' }, { not: { tag: "it's" } }] }, r)).toBe(false);
  });
});

describe('a campaign in a block audience', () => {
  const deep: Rule = {
    all: [{ topic: 'border' }, { any: [{ tag: 'press' }, { not: { campaign: 3, received: true } }] }],
  };

  it('is found wherever it is in the rule', () => {
    expect(ruleNamesCampaign({ campaign: 3, received: false })).toBe(true);
    expect(ruleNamesCampaign(deep)).toBe(true);
    expect(ruleNamesCampaign({ all: [{ topic: 'border' }, { not: { tag: 'press' } }] })).toBe(false);
  });

  it('is refused when the rule is compiled, naming where it is', () => {
    expect(() => compileRule(deep)).toThrow(AppError);
    expect(() => compileRule(deep)).toThrow("all[1].any[1].not: a block's audience cannot name a campaign");
    expect(() => compileRule({ campaign: 3, received: false })).toThrow("a block's audience cannot name a campaign");
  });
});
