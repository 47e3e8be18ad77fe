import { describe, expect, it } from 'vitest';
import { describeRule } from '../../src/audience/rule-sentence.js';

describe('describeRule', () => {
  it('says who a condition picks, of each kind', () => {
    expect(describeRule({ tag: 'press' })).toBe('readers with the tag press');
    expect(describeRule({ topic: 'border' })).toBe('readers following the topic border');
    expect(describeRule({ language: ['es', 'fr'] })).toBe('readers reading in Spanish or French');
    expect(describeRule({ emailDomain: 'example.org' })).toBe('readers with an address at example.org');
    expect(describeRule({ campaign: 12, received: true })).toBe('readers who received campaign 12');
    expect(describeRule({ campaign: 12, received: false })).toBe('readers who did not receive campaign 12');
    expect(describeRule({ subscribed: { after: '2025-01-01' } })).toBe('readers who subscribed on or after 2025-01-01');
    expect(describeRule({ subscribed: { before: '2026-01-01' } })).toBe('readers who subscribed before 2026-01-01');
    expect(describeRule({ subscribed: { after: '2025-01-01', before: '2026-01-01' } })).toBe(
      'readers who subscribed from 2025-01-01 until before 2026-01-01',
    );
  });

  it('reads every attribute operator', () => {
    const attr = (op: string, value?: unknown) =>
      describeRule({ attribute: 'state', op, ...(value === undefined ? {} : { value }) } as never);
    expect(attr('eq', 'TX')).toBe('readers whose attribute state is "TX"');
    expect(attr('neq', 3)).toBe('readers whose attribute state is not 3');
    expect(attr('in', ['TX', 4])).toBe('readers whose attribute state is one of "TX", 4');
    expect(attr('contains', 'ex')).toBe('readers whose attribute state contains "ex"');
    expect(attr('exists')).toBe('readers whose attribute state is set');
    expect(attr('gt', 5)).toBe('readers whose attribute state is more than 5');
    expect(attr('gte', 5)).toBe('readers whose attribute state is 5 or more');
    expect(attr('lt', 5)).toBe('readers whose attribute state is less than 5');
    expect(attr('lte', 5)).toBe('readers whose attribute state is 5 or less');
    expect(attr('gt', '2025-03-01')).toBe('readers whose attribute state is a day after 2025-03-01');
    expect(attr('gte', '2025-03-01T10:00:00Z')).toBe('readers whose attribute state is a day on or after 2025-03-01');
    expect(attr('lt', '2025-03-01')).toBe('readers whose attribute state is a day before 2025-03-01');
    expect(attr('lte', '2025-03-01')).toBe('readers whose attribute state is a day on or before 2025-03-01');
  });

  it('says a negation plainly where it can, and brackets the rest', () => {
    expect(describeRule({ not: { tag: 'signed-petition' } })).toBe('readers without the tag signed-petition');
    expect(describeRule({ not: { topic: 'border' } })).toBe('readers not following the topic border');
    expect(describeRule({ not: { language: ['es'] } })).toBe('readers not reading in Spanish');
    expect(describeRule({ not: { emailDomain: 'a.org' } })).toBe('readers without an address at a.org');
    expect(describeRule({ not: { campaign: 3, received: true } })).toBe('readers who did not receive campaign 3');
    expect(describeRule({ not: { not: { tag: 'x' } } })).toBe('readers with the tag x');
    expect(describeRule({ not: { attribute: 'age', op: 'gt', value: 30 } })).toBe(
      'readers not (whose attribute age is more than 30)',
    );
    expect(describeRule({ not: { any: [{ tag: 'a' }, { tag: 'b' }] } })).toBe(
      'readers not (with the tag a or with the tag b)',
    );
  });

  it('brackets groups inside groups, and names the empty ones', () => {
    expect(describeRule({ all: [] })).toBe('everyone');
    expect(describeRule({ any: [] })).toBe('no one');
    expect(describeRule({ all: [{ tag: 'a' }, { any: [{ language: ['es'] }, { tag: 'b' }] }] })).toBe(
      'readers with the tag a and (reading in Spanish or with the tag b)',
    );
    expect(describeRule({ any: [{ tag: 'a' }, { all: [] }] })).toBe('readers with the tag a or of any kind');
    expect(describeRule({ all: [{ tag: 'a' }, { any: [] }] })).toBe('readers with the tag a and matching no rule');
  });
});
