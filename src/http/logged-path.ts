// A request's path as the logs may keep it: signed link tokens (unsubscribe, preferences, confirm,
// click) act as keys, and never reach a log line.

/** The segments a signed link's token follows. */
const BEFORE_TOKEN = new Set(['unsubscribe', 'preferences', 'confirm', 'c']);

/**
 * The path without its query string, and with each segment that follows one of BEFORE_TOKEN read
 * as '[token]'. Express matches paths case-insensitively and a client may escape any letter, so
 * segments are compared decoded and lower-cased, wherever they are, whatever the answer was:
 * /Preferences/…, //c/…, /%70references/… and /confirm%2F… are redacted as /preferences/… is.
 */
export function loggedPath(url: string): string {
  const segments = url.split('?')[0]!.split(/\/|%2f/i);
  for (let i = 1; i < segments.length; i++) {
    if (BEFORE_TOKEN.has(decoded(segments[i - 1]!).toLowerCase())) segments[i] = '[token]';
  }
  return segments.join('/');
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
