// Which staff passwords are too easy to guess. Length is the schema's; this refuses what is long
// enough but still weak: blank, few different characters, or a common password dressed up.
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Fewer different characters than this is a pattern, not a password ("aaaaaaaaaaaa", "abababababab"). */
const MIN_DISTINCT_CHARACTERS = 5;

/** Why the password is refused, as a message for its field; undefined when it is acceptable. */
export function passwordWeakness(password: string): string | undefined {
  const normal = password.normalize('NFKC');
  if (normal.trim() === '') return 'must not be only spaces';
  if (new Set(normal).size < MIN_DISTINCT_CHARACTERS) {
    return `must use at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  }
  if (isCommon(normal)) return 'is too common: choose a passphrase of a few words of your own';
  return undefined;
}

/**
 * A common password, one repeated ("monkeymonkey"), or one with digits, symbols or spaces around
 * or inside it ("Password 2024!", "12qwerty34"), compared in lower case.
 */
function isCommon(password: string): boolean {
  const compact = password.toLowerCase().replace(/\s+/g, '');
  const stem = compact.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [compact, stem].some((candidate) => candidate && COMMON_PASSWORDS.has(repeatedPiece(candidate)));
}

/** "abcabcabc" → "abc"; a string that is no repetition is its own piece. */
function repeatedPiece(text: string): string {
  const period = (text + text).indexOf(text, 1);
  return text.slice(0, period);
}
