// A segment rule in words (src/audience/rule-words.ts), as a block's badge and a version's change say it.
import { describe, expect, it } from 'vitest';
import { ruleWords } from '../../src/audience/rule-words.js';

describe('a rule in words', () => {
  it('says each condition as staff would', () => {
    expect(ruleWords({ tag: 'signed-petition-62500' })).toBe('tag signed-petition-62500');
    expect(ruleWords({ not: { tag: 'press' } })).toBe('not tag press');
    expect(ruleWords({ language: ['es', 'pt-BR'] })).toBe('language es or pt-BR');
    expect(ruleWords({ topic: 'border' })).toBe('topic border');
    expect(ruleWords({ emailDomain: 'example.org' })).toBe('address at example.org');
    expect(ruleWords({ attribute: 'state', op: 'in', value: ['TX', 'AZ'] })).toBe('state is one of TX, AZ');
    expect(ruleWords({ attribute: 'age', op: 'gte', value: 18 })).toBe('age ≥ 18');
    expect(ruleWords({ attribute: 'city', op: 'exists' })).toBe('city is set');
    expect(ruleWords({ subscribed: { after: '2025-01-01' } })).toBe('subscribed after 2025-01-01');
    expect(ruleWords({ campaign: 4, received: false })).toBe('did not receive campaign 4');
  });

  it('brackets groups inside groups, and names the empty ones', () => {
    expect(ruleWords({ all: [] })).toBe('everyone');
    expect(ruleWords({ any: [] })).toBe('no one');
    expect(ruleWords({ all: [{ tag: 'donor' }] })).toBe('tag donor');
    expect(ruleWords({ all: [{ tag: 'donor' }, { any: [{ language: ['es'] }, { not: { tag: 'press' } }] }] })).toBe(
      'tag donor and (language es or not tag press)',
    );
    expect(ruleWords({ not: { any: [{ tag: 'a' }, { tag: 'b' }] } })).toBe('not (tag a or tag b)');
  });
});
