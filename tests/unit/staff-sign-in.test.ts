import { describe, expect, it } from 'vitest';
import { parseCookies } from '../../src/staff/session-cookie.js';
import { generateSetupCode, setupCodeMatches } from '../../src/staff/setup-code.js';

describe('the Cookie header', () => {
  it('reads name=value pairs, trimmed, unquoted and decoded', () => {
    const cookies = parseCookies(' a=1; pregon_session=abc-_123 ; quoted="x y"; enc=%C3%B1; empty=; =nameless; junk');
    expect(Object.fromEntries(cookies)).toEqual({
      a: '1',
      pregon_session: 'abc-_123',
      quoted: 'x y',
      enc: 'ñ',
      empty: '',
    });
  });

  it('keeps the first of two cookies with one name, and a value it cannot decode as it is', () => {
    expect(parseCookies('s=first; s=second').get('s')).toBe('first');
    expect(parseCookies('s=%E0%A4%A').get('s')).toBe('%E0%A4%A');
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('the first-run setup code', () => {
  it('is eight characters without look-alikes, shown as XXXX-XXXX', () => {
    for (let i = 0; i < 200; i++) expect(generateSetupCode()).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(Array.from({ length: 50 }, generateSetupCode)).size).toBe(50);
  });

  it('matches with or without the dash, in any case, and nothing else', () => {
    expect(setupCodeMatches('ABCD-EF23', 'ABCD-EF23')).toBe(true);
    expect(setupCodeMatches('ABCD-EF23', 'abcdef23')).toBe(true);
    expect(setupCodeMatches('ABCD-EF23', ' abcd ef23 ')).toBe(true);
    for (const wrong of ['ABCD-EF24', 'ABCD-EF2', 'ABCD-EF233', '', 'ABCDEF23X'])
      expect(setupCodeMatches('ABCD-EF23', wrong)).toBe(false);
  });
});
