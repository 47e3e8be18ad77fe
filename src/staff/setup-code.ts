// The one-time code that lets the first admin be created from the browser: printed by `npm start`
// while no admin exists, typed into /admin/setup. Eight characters from an alphabet without the
// look-alikes (0/O, 1/I/L), shown as XXXX-XXXX and read back with or without the dash, in any case.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function generateSetupCode(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** Compares in constant time (over hashes, so the length of a wrong guess tells nothing either). */
export function setupCodeMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

function digest(code: string): Buffer {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest();
}
