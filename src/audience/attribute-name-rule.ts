// What an attribute's name may be, without zod: the server's schema and the staff app's
// attribute rows read the same rule.

/** JSON paths quote the name, so double quotes, backslashes and control characters cannot be in it. */
export const ATTRIBUTE_NAME_PATTERN = /^[^"\\\u0000-\u001f]{1,64}$/;
export const ATTRIBUTE_NAME_RULE =
  'must be 1 to 64 characters without double quotes, backslashes or control characters';
/** The three names that JavaScript objects cannot hold as plain data. */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
