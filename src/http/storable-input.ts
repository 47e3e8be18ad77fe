// Request bodies (the API's JSON, the public pages' forms, the SES webhook's text) and the API's
// query strings: read only as sent, parsed, then refused as a whole when they hold what no route
// should have to guard against one field at a time.
// A compressed body is refused before it is read: a kilobyte of gzip inflates to a megabyte, and
// the limits would count the megabyte. JSON that is not UTF-8 would be read with U+FFFD in place
// of its bad bytes. Nesting deeper than any input of ours would exhaust the stack of a recursive
// validator (zod's z.json()) or of JSON.stringify, and more values than any input of ours holds
// only costs time. The NUL character and lone UTF-16 surrogates (JSON's "\ud800") cannot be
// stored by PostgreSQL in text or jsonb, while SQLite keeps the one and silently turns the other
// into U+FFFD: the same request would be kept by one database, altered or failed by the other.
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError, formatPath, type Issue } from '../errors.js';

/** A bulletin nests 6 levels and a rule of MAX_RULE_DEPTH about 20: 64 leaves room to spare. */
export const MAX_JSON_DEPTH = 64;
/**
 * Objects, arrays and their items in one value. The largest input of ours, a bulletin of 100
 * blocks of 50 items in a few languages, holds some 30,000.
 */
export const MAX_JSON_VALUES = 100_000;

/**
 * Refuses a body sent with a Content-Encoding (gzip, deflate, br) before anything reads it. On its
 * own ahead of authentication, it answers without reading the body at all.
 */
export const refuseContentEncoding: RequestHandler = (req, _res, next) => {
  const encoding = req.get('content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return next();
  next(
    new AppError('unsupported_media_type', 'Send the request body uncompressed', [
      { path: 'headers.content-encoding', message: `must be absent or identity, not ${encoding.slice(0, 40)}` },
    ]),
  );
};

export function jsonBody(options: { limit: string }): RequestHandler[] {
  return [
    refuseContentEncoding,
    express.json({ limit: options.limit, verify: refuseInvalidUtf8 }),
    refuseUnstorable(true),
  ];
}

/** JSON is UTF-8 (RFC 8259): other bytes would be read as U+FFFD, and a name or a password stored altered. */
function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw AppError.invalid([{ path: 'body', message: 'is not UTF-8 text' }]);
}

export function formBody(options: { limit: string }): RequestHandler[] {
  return [
    refuseContentEncoding,
    express.urlencoded({ extended: false, limit: options.limit }),
    refuseUnstorable(false),
  ];
}

/** Any body as text, whatever its content type: the caller reads it. */
export function textBody(options: { limit: string }): RequestHandler[] {
  return [refuseContentEncoding, express.text({ type: '*/*', limit: options.limit })];
}

function refuseUnstorable(withQuery: boolean): RequestHandler {
  return (req, _res, next) => {
    const found = unstorableJson(req.body, 'body') ?? (withQuery ? unstorableJson(req.query, '') : undefined);
    if (!found) return next();
    const { tooLarge, ...issue } = found;
    next(
      tooLarge
        ? new AppError('payload_too_large', `${issue.path} ${issue.message}`, [issue])
        : AppError.invalid([issue]),
    );
  };
}

/** What cannot be stored, and where; `tooLarge` when it is the number of values, not one of them. */
export interface Unstorable extends Issue {
  tooLarge?: true;
}

/** An object or array still to look into, and how it was reached: a path is only built for a finding. */
interface Container {
  value: object;
  depth: number;
  parent?: Container;
  key?: PropertyKey;
}

/**
 * The first place in a parsed JSON value that nests too deep or holds text a database cannot keep
 * as given, named from `root` ('' names fields alone); or, past `maxValues`, the value as a whole.
 * Walked with a stack of its own, as the value may be nested deeper than recursion could follow,
 * and in time linear in its size: each value is looked at once, and nothing is built for it but
 * a frame for an object or array.
 */
export function unstorableJson(
  value: unknown,
  root: string,
  { maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES } = {},
): Unstorable | undefined {
  const at = (container: Container | undefined, message: string, key?: PropertyKey): Unstorable => {
    const path = key === undefined ? [] : [key];
    for (let c = container; c?.parent; c = c.parent) path.unshift(c.key!);
    return { path: formatPath(root ? [root, ...path] : path) || root, message };
  };
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? at(undefined, problem) : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;

  let values = 1;
  const pending: Container[] = [{ value, depth: 0 }];
  for (let container = pending.pop(); container; container = pending.pop()) {
    if (container.depth >= maxDepth) return at(container, `nests deeper than ${maxDepth} levels`);
    // An array's indexes are counted, not listed: a megabyte of [1,1,…] is one frame and a loop.
    const names = Array.isArray(container.value) ? undefined : Object.keys(container.value);
    const length = names?.length ?? (container.value as unknown[]).length;
    const items = container.value as Record<PropertyKey, unknown>;
    values += length;
    if (values > maxValues) {
      return { path: root, message: `holds more than ${maxValues.toLocaleString('en')} values`, tooLarge: true };
    }
    for (let i = 0; i < length; i++) {
      const key = names ? names[i]! : i;
      const nameProblem = names ? textProblem(names[i]!) : undefined;
      if (nameProblem) return at(container, `field names ${nameProblem}`);
      const item = items[key];
      if (typeof item === 'string') {
        const problem = textProblem(item);
        if (problem) return at(container, problem, key);
      } else if (typeof item === 'object' && item !== null) {
        pending.push({ value: item, depth: container.depth + 1, parent: container, key });
      }
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
