import { describe, expect, it } from 'vitest';
import { Password } from '../../src/staff/schemas.js';

const refusal = (password: string) => {
  const result = Password.safeParse(password);
  return result.success ? undefined : result.error.issues.map((issue) => issue.message);
};

describe('the staff password policy', () => {
  it('refuses a password of spaces only, whatever spaces', () => {
    for (const blank of [' '.repeat(12), '\t \u00a0\u2003'.repeat(4), `${' '.repeat(11)}\n`]) {
      expect(refusal(blank), JSON.stringify(blank)).toEqual(['must not be only spaces']);
    }
  });

  it('refuses one character repeated, or a few', () => {
    for (const pattern of ['a'.repeat(12), 'ab'.repeat(6), '1234'.repeat(3), 'Aa Aa Aa Aa ']) {
      expect(refusal(pattern), pattern).toEqual(['must use at least 5 different characters']);
    }
  });

  it('refuses common passwords, repeated or with digits, symbols and spaces around them, in any case', () => {
    for (const common of [
      'passwordpassword',
      'Password 2024!',
      'P@ssw0rd12345',
      'monkeymonkey',
      '123456789012',
      'qwertyuiop123',
      '!!Contraseña2025',
      'Iloveyou1234',
      '1q2w3e4r5t6y',
    ]) {
      expect(refusal(common), common).toEqual(['is too common: choose a passphrase of a few words of your own']);
    }
  });

  it('accepts a passphrase of the person’s own, and says only the length when it is short', () => {
    for (const own of ['a long enough passphrase', 'correct horse battery staple', 'mi gato come 7 pimientos']) {
      expect(refusal(own), own).toBeUndefined();
    }
    expect(refusal('password')).toEqual(['must be at least 12 characters']);
    expect(refusal(' '.repeat(3))).toEqual(['must be at least 12 characters']);
  });
});
