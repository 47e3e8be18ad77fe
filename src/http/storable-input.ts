// Request bodies (the API's JSON, the public pages' forms) and the API's query strings: parsed,
// then refused as a whole when they hold what no route should have to guard against one field at
// a time. JSON that is not UTF-8 would be read with U+FFFD in place of its bad bytes. Nesting
// deeper than any input of ours would exhaust the stack of a recursive validator (zod's z.json())
// or of JSON.stringify. The NUL character and lone UTF-16 surrogates (JSON's "\ud800") cannot be
// stored by PostgreSQL in text or jsonb, while SQLite keeps the one and silently turns the other
// into U+FFFD: the same request would be kept by one database, altered or failed by the other.
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError, formatPath, type Issue } from '../errors.js';

/** A bulletin nests 6 levels and a rule of MAX_RULE_DEPTH about 20: 64 leaves room to spare. */
export const MAX_JSON_DEPTH = 64;

export function jsonBody(options: { limit: string }): RequestHandler[] {
  return [express.json({ limit: options.limit, verify: refuseInvalidUtf8 }), refuseUnstorable(true)];
}

/** JSON is UTF-8 (RFC 8259): other bytes would be read as U+FFFD, and a name or a password stored altered. */
function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw AppError.invalid([{ path: 'body', message: 'is not UTF-8 text' }]);
}

export function formBody(options: { limit: string }): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: options.limit }), refuseUnstorable(false)];
}

function refuseUnstorable(withQuery: boolean): RequestHandler {
  return (req, _res, next) => {
    const issue = unstorableJson(req.body, 'body') ?? (withQuery ? unstorableJson(req.query, '') : undefined);
    next(issue ? AppError.invalid([issue]) : undefined);
  };
}

/**
 * The first place in a parsed JSON value that nests too deep or holds text a database cannot
 * keep as given, named from `root`.
 * Walked with a stack of its own: the value may be nested deeper than recursion could follow.
 */
export function unstorableJson(value: unknown, root: string, maxDepth = MAX_JSON_DEPTH): Issue | undefined {
  const name = (path: PropertyKey[]) => formatPath(root ? [root, ...path] : path) || root;
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { path: name(path), message: problem };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maxDepth) return { path: name(path), message: `nests deeper than ${maxDepth} levels` };
    for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      const problem = typeof key === 'string' ? textProblem(key) : undefined;
      if (problem) return { path: name(path), message: `field names ${problem}` };
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

/** Why a text cannot be stored as it is, if it cannot. */
function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds half of a UTF-16 surrogate pair)';
  return undefined;
}

/** With the u flag, a well-formed pair is one code point: only a half on its own matches. */
const LONE_SURROGATE = /\p{Cs}/u;
