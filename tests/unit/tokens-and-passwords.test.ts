import { describe, expect, it } from 'vitest';
import { generateToken, hashSecret, parseToken, secretMatches } from '../../src/staff/api-tokens.js';
import { hashPassword, verifyPassword } from '../../src/staff/passwords.js';

describe('API tokens', () => {
  it('parse back into the lookup and secret they were made of', () => {
    const { token, lookup, secret } = generateToken();
    expect(parseToken(token)).toEqual({ lookup, secret });
  });

  it('reject anything not shaped like a token', () => {
    for (const text of [
      '',
      'pgn_',
      'pgn_xyz_abc',
      `pgn_${'0'.repeat(16)}_${'a'.repeat(42)}`,
      `Bearer pgn_${'0'.repeat(16)}_${'a'.repeat(43)}`,
    ]) {
      expect(parseToken(text)).toBeNull();
    }
  });

  it('match only their own secret, and only the hash is kept', () => {
    const { secret } = generateToken();
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(generateToken().secret, stored)).toBe(false);
    expect(secretMatches(secret, 'abcd')).toBe(false);
  });
});

describe('staff passwords', () => {
  it('verify the password they were hashed from and no other', async () => {
    const stored = await hashPassword('a long passphrase');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('passphrase');
    expect(await verifyPassword('a long passphrase', stored)).toBe(true);
    expect(await verifyPassword('a long passphrasE', stored)).toBe(false);
    expect(await verifyPassword('a long passphrase', 'md5$whatever')).toBe(false);
  });

  it('salt each hash, so one password gives different hashes', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});
