// API tokens: "pgn_<lookup>_<secret>". The lookup half finds the row; only a SHA-256 of the
// secret half is stored, and it is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN = /^pgn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface TokenParts {
  lookup: string;
  secret: string;
}

export function generateToken(): TokenParts & { token: string } {
  const lookup = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `pgn_${lookup}_${secret}`, lookup, secret };
}

export function parseToken(token: string): TokenParts | null {
  const match = TOKEN.exec(token);
  return match ? { lookup: match[1]!, secret: match[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
