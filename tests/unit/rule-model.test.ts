// The rule builder's "As a number" choice: a Number attribute (as the attributes editor saves it)
// is found by "is", "is not" and "is one of" only when the value goes to the server as a number.
import { describe, expect, it } from 'vitest';
import {
  type ConditionNode,
  fromRule,
  isFilledIn,
  newCondition,
  newGroup,
  toRule,
} from '../../src/ui/campaigns/rule-model.js';
import { evaluate, type PlainSubscriber } from '../helpers/rule-evaluator.js';

const reader = (attributes: Record<string, unknown>): PlainSubscriber => ({
  email: 'ana@example.org',
  language: 'es',
  tags: [],
  topics: [],
  attributes,
  createdAt: '2026-01-01T00:00:00Z',
  deliveries: [],
});

const age = (op: ConditionNode['op'], value: string, numeric: boolean): ConditionNode => ({
  ...newCondition('attribute'),
  text: 'age',
  op,
  value,
  numeric,
});

describe('the rule builder comparing an attribute', () => {
  it('sends text unless "As a number" is ticked', () => {
    expect(toRule(age('eq', '41', false))).toEqual({ attribute: 'age', op: 'eq', value: '41' });
    expect(toRule(age('eq', '41', true))).toEqual({ attribute: 'age', op: 'eq', value: 41 });
    expect(toRule(age('neq', '41.5', true))).toEqual({ attribute: 'age', op: 'neq', value: 41.5 });
    expect(toRule(age('in', '41, 42', true))).toEqual({ attribute: 'age', op: 'in', value: [41, 42] });
    expect(toRule(age('in', '41, 42', false))).toEqual({ attribute: 'age', op: 'in', value: ['41', '42'] });
  });

  it('finds a Number attribute by "is", "is not" and "is one of" only as a number', () => {
    const number = reader({ age: 41 });
    expect(evaluate(toRule(age('eq', '41', false)), number)).toBe(false);
    expect(evaluate(toRule(age('eq', '41', true)), number)).toBe(true);
    expect(evaluate(toRule(age('neq', '41', true)), number)).toBe(false);
    expect(evaluate(toRule(age('in', '40, 41', true)), number)).toBe(true);
    // A text attribute that reads as a number is found either way; other texts only as text.
    expect(evaluate(toRule(age('eq', '41', true)), reader({ age: '41' }))).toBe(true);
    expect(evaluate(toRule(age('eq', '41', false)), reader({ age: '41' }))).toBe(true);
  });

  it('ticks "As a number" when it opens a saved rule that compares numbers', () => {
    const condition = (rule: Parameters<typeof fromRule>[0]) => fromRule(rule).children[0] as ConditionNode;
    expect(condition({ attribute: 'age', op: 'eq', value: 41 })).toMatchObject({ value: '41', numeric: true });
    expect(condition({ attribute: 'age', op: 'in', value: [40, 41] })).toMatchObject({
      value: '40, 41',
      numeric: true,
    });
    expect(condition({ attribute: 'age', op: 'eq', value: '41' })).toMatchObject({ numeric: false });
    expect(condition({ attribute: 'age', op: 'gt', value: 41 })).toMatchObject({ numeric: false });
  });
});

describe('a rule filled in', () => {
  it('needs every condition of every group to have its value; an empty group is filled in', () => {
    expect(isFilledIn(newGroup('all'))).toBe(true);
    expect(isFilledIn(newGroup('all', [newCondition('tag')]))).toBe(false);
    expect(isFilledIn(newGroup('all', [{ ...newCondition('tag'), text: 'press' }]))).toBe(true);
    const nested = newGroup('any', [
      { ...newCondition('tag'), text: 'press' },
      newGroup('all', [newCondition('language')]),
    ]);
    expect(isFilledIn(nested)).toBe(false);
    expect(isFilledIn(age('exists', '', false))).toBe(true);
    expect(isFilledIn(age('gte', ' ', true))).toBe(false);
    expect(isFilledIn({ ...newCondition('subscribed'), after: '2025-01-01' })).toBe(true);
  });
});
