// Bad input is refused and changes nothing. Every route that takes a body (POST, PUT, PATCH: the
// API, sign-in and setup, the public forms, the SES webhook) and every GET with its query string
// is sent what fast-check makes: wrong types, missing and extra fields, ~1 MB strings, long
// arrays, 10,000 levels of nesting, __proto__/constructor/prototype keys, bytes that are not
// UTF-8, NUL and lone surrogates, malformed JSON, empty bodies and wrong content types. Most bodies
// are a valid sample with one to three fields broken, so that the rest passes validation and the
// broken value travels as far as it can; each form field and each query parameter is also sent
// each hostile fragment in turn, which chance alone seldom does. No answer is a 5xx or a cut
// stream; an API refusal has the shape {error: {code, message}}; a refusal leaves the database as
// it was; a 2xx from a route with a body schema comes only for a body that schema accepts;
// Object.prototype is never touched. The routes come from walking the app, so a route added later
// is fuzzed without touching this file (and must bring a sample if it declares a body schema).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes } from '../../src/app.js';
import type { RouteSpec } from '../../src/http/api-routes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { fillPath, routeKey, walkRoutes, type WalkedRoute } from '../helpers/routes.js';
import { databaseSnapshot } from '../helpers/snapshot.js';
import { ScriptedSes } from '../support/scripted-ses.js';

/** Fixed, so that a failure reproduces; fast-check prints it with the counterexample. */
const SEED = 20_260_901;
const BODY_RUNS = 30;
const QUERY_RUNS = 15;
/**
 * Under /admin: the staff web app's static files (no input) and the queue dashboard, bull-board's
 * own app behind an admin session and a same-origin check, whose API is not ours to fuzz.
 */
const STAFF_PAGES = '/admin';
/** A stream that never ends by itself. */
const STREAMING = 'text/event-stream';

const DEPTH = 10_000;
const HUGE = 'x'.repeat(1_100_000); // over the 1 MB body limit
const LARGE = 'é'.repeat(300_000); // 600 KB in UTF-8: under the limit, over every field's maximum
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty'];
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\r\nBcc: victim@example.org',
  '\ud800',
  '\ufeff',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  "' or 1=1 --",
  '{{email}}',
  '../../etc/passwd',
  '%00',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '2026-02-30T25:61:00Z',
];

interface FuzzRequest {
  contentType?: string;
  headers?: Record<string, string>;
  body: string | Uint8Array;
  /** What the body is as JSON, when it is JSON and the content type says so. */
  json?: unknown;
}

/** Every property name a JSON Schema mentions, at any depth: the fields worth sending wrong. */
function schemaKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const keys = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) {
        if (name === 'properties' && value && typeof value === 'object') {
          for (const k of Object.keys(value)) keys.add(k);
        }
        visit(value);
      }
    }
  };
  visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return [...keys];
}

const scalarValue = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** A value of any JSON type, sometimes a large one. */
const anyValue = fc.oneof(
  { weight: 6, arbitrary: scalarValue },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant(LARGE) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 50_000 }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 200 }) },
);

/** A JSON object built from the route's own field names (so validation looks deep) and others. */
function objectOf(keys: string[]) {
  const names = keys.length
    ? fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 }))
    : fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 }));
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      anyValue,
      fc.dictionary(names, tie('value'), { maxKeys: 4 }),
      fc.array(tie('value'), { maxLength: 3 }),
    ),
  })).value;
  return fc.dictionary(names, value, { maxKeys: 8 });
}

/** Raw texts no JSON.stringify makes: deep nesting, prototype keys as written, malformed JSON. */
function rawText(keys: string[]) {
  const key = fc.constantFrom(...(keys.length ? keys : ['a']));
  return fc.oneof(
    fc.tuple(key, key).map(([top, inner]) => `{"${top}":${`{"${inner}":[`.repeat(DEPTH)}{}${']}'.repeat(DEPTH)}}`),
    fc.constant(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`),
    key.map((top) => `{"${top}":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}`),
    fc
      .constantFrom(...HOSTILE_KEYS)
      .map((k) => `{"${k}":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}}`),
    key.map((top) => `{"${top}":"a","${top}":{"__proto__":{"polluted":"yes"}}}`),
    fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '"text"',
      '[]',
      '{',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      '{"a":NaN}',
      '{"a":undefined}',
      '\ufeff{}',
      '}{',
      '[1,2',
    ),
    fc.constant(`{"a":"${HUGE}"}`),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

/**
 * Bytes that are not UTF-8: Latin-1 é, a lone continuation byte, an overlong NUL, a UTF-16 BOM, an
 * encoded surrogate, a 5-byte form.
 */
const NOT_UTF8 = [[0xe9], [0x80], [0xc0, 0x80], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

/** The same bytes inside and outside strings of an otherwise arbitrary body. */
function invalidUtf8(keys: string[]) {
  const bad = fc.constantFrom(...NOT_UTF8);
  return fc.tuple(fc.constantFrom(...(keys.length ? keys : ['a'])), bad, fc.boolean()).map(([key, bytes, inString]) => {
    const before = Buffer.from(inString ? `{"${key}":"caf` : `{"${key}":`);
    const after = Buffer.from(inString ? '"}' : '}');
    return Buffer.concat([before, Buffer.from(bytes), after]);
  });
}

const jsonTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
);
const otherTypes = fc.constantFrom(
  undefined,
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'application/xml',
  'garbage',
);

/**
 * A valid body for each route that takes one, `n` making unique values unique: the fuzzer breaks
 * one to three of its fields at a time, so that the rest passes and the broken value travels as
 * far as it can (the store, the renderer, the mail). A route with a body schema must have one here.
 */
const SAMPLES: Record<string, (n: number) => unknown> = {
  'POST /api/topics': (n) => ({
    key: `fuzz-${n}`,
    name: { en: 'Fuzz', es: 'Fuzz' },
    description: { en: 'About' },
    public: true,
  }),
  'PATCH /api/topics/:key': () => ({ name: { en: 'Weekly' }, description: { en: 'Every week' }, public: true }),
  'POST /api/subscribers': (n) => ({
    email: `new-${n}@example.org`,
    name: 'Ana Pérez',
    language: 'es',
    status: 'active',
    topics: ['weekly-bulletin'],
    tags: ['press'],
    attributes: { city: 'Tucson', age: 40, nested: { a: [1, 'b'] } },
  }),
  'POST /api/subscribers/tags': (n) => ({
    tag: 'signed-petition',
    action: n % 2 ? 'remove' : 'add',
    emails: [`new-${n}@example.org`, 'Ana@Example.org'],
  }),
  'PATCH /api/subscribers/:id': () => ({
    name: 'Ana',
    language: 'en',
    tags: ['fuzz'],
    attributes: { city: 'El Paso' },
  }),
  'POST /api/audience/preview': () => ({ rule: { all: [{ tag: 'fuzz' }, { not: { language: ['es'] } }] } }),
  'POST /api/segments': (n) => ({
    name: `Segment ${n}`,
    rule: { any: [{ topic: 'weekly-bulletin' }, { attribute: 'city', op: 'eq', value: 'Tucson' }] },
  }),
  'PATCH /api/segments/:id': () => ({ name: 'Renamed', rule: { emailDomain: 'example.org' } }),
  'POST /api/suppressions': (n) => ({ email: `gone-${n}@example.org`, reason: 'manual' }),
  'PUT /api/settings': () => ({
    organisationName: 'NNIRR',
    postalAddress: '310 8th Street',
    senderName: 'NNIRR',
    senderEmail: 'bulletin@nnirr.org',
    replyTo: 'reply@nnirr.org',
    brandColor: '#b3261e',
    languages: ['en', 'es', 'ar'],
    locales: { es: 'es-US', ar: 'ar-EG' },
    wording: { es: { footer: { unsubscribe: 'Cancelar la suscripción' } } },
  }),
  'PUT /api/welcome-mail': () => ({ enabled: false }),
  'POST /api/bulletins': () => exampleBulletin(),
  'PUT /api/bulletins/:id': () => exampleBulletin(),
  'PUT /api/bulletins/:id/presence': () => ({ editing: true }),
  'POST /api/blocks': (n) => ({ name: `Block ${n}`, block: exampleBulletin().blocks[1] }),
  'PATCH /api/blocks/:id': () => ({ name: 'Renamed', block: exampleBulletin().blocks[0] }),
  'POST /api/templates': (n) => ({ name: `Template ${n}`, document: exampleBulletin() }),
  'PATCH /api/templates/:id': () => ({ name: 'Renamed', document: exampleBulletin() }),
  'POST /api/bulletins/:id/send': () => ({
    rule: { tag: 'fuzz' },
    scheduledAt: '2099-01-01T00:00:00Z',
    tracking: 'off',
    priority: 'urgent',
  }),
  'POST /api/bulletins/:id/translations/still-correct': () => ({ field: 'subject', language: 'es' }),
  'POST /api/bulletins/:id/test': () => ({ to: ['tester@example.org'], lang: 'es' }),
  'PATCH /api/campaigns/:id': () => ({ scheduledAt: '2099-06-01T00:00:00Z' }),
  'POST /api/campaigns/:id/retry-failed': () => ({ include: ['failed', 'unknown'] }),
  'POST /api/campaigns/:id/decline': () => ({ comment: 'Not this week' }),
  'POST /api/staff': (n) => ({ email: `staff-${n}@example.org`, password: 'a long enough password', role: 'editor' }),
  'PATCH /api/staff/:id': () => ({ role: 'editor', password: 'another long password' }),
  'POST /api/tokens': (n) => ({ name: `token ${n}`, role: 'editor' }),
  'POST /api/webhooks': (n) => ({ url: `http://127.0.0.1:9/hooks/${n}`, events: ['subscriber.created'] }),
  'PATCH /api/webhooks/:id': () => ({ description: 'CRM', enabled: false }),
  'PUT /api/me/test-addresses': () => ({ addresses: ['me@example.org'] }),
  'POST /api/session': () => ({ email: 'fuzz-editor@example.org', password: 'not the password' }),
  'POST /api/setup': () => ({ code: 'no-setup-code', email: 'first@example.org', password: 'a long enough password' }),
};

/** The same for the public forms that store what they are sent. */
const FORM_SAMPLES: Record<string, (n: number) => Record<string, string>> = {
  'POST /subscribe': (n) => ({
    email: `form-${n}@example.org`,
    name: 'Ana Pérez',
    language: 'es',
    topics: 'public-news',
  }),
};

/**
 * A form from its sample with fragments slipped into fields, or fields left out; each from an
 * address of its own, past the per-IP limit.
 */
function fromFormSample(sample: (n: number) => Record<string, string>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.option(fc.constantFrom(...FRAGMENTS))), { minLength: 1, maxLength: 3 }),
      fc.ipV4(),
    )
    .map(([n, changes, ip]) => {
      const form = sample(n);
      for (const [pick, fragment] of changes) {
        const field = Object.keys(form)[pick % Object.keys(form).length]!;
        if (fragment === null) delete form[field];
        else form[field] = `${form[field]!.slice(0, 3)}${fragment}${form[field]!.slice(3)}`;
      }
      return {
        contentType: 'application/x-www-form-urlencoded',
        headers: { 'x-forwarded-for': ip },
        body: new URLSearchParams(form).toString(),
      };
    });
}

/** Stand for raw text and raw bytes spliced in after JSON.stringify (deep nesting no stringify survives). */
const RAW = '\u0001raw\u0001';
const BYTES = '\u0002bytes\u0002';
const DEEP_VALUES = [
  `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`,
  `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`,
  `${'{"all":['.repeat(DEPTH)}{}${']}'.repeat(DEPTH)}`,
];

/** Every place in a JSON value, as paths: each object's and array's members. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, i) => paths(item, [...at, i]))];
  if (value && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

type Mutation =
  | { kind: 'inject'; text: string }
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'deep'; raw: string }
  | { kind: 'bytes'; bytes: number[] };

/** Fragments slipped into a text that is otherwise fine, so that it still passes its field's validation. */
const FRAGMENTS = [
  '\u0000',
  '\r\n',
  '\r\nBcc: victim@example.org\r\n',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202e',
  '\u2028',
  '\u0085',
  '\u001b[31m',
  '"',
  '\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{email}}',
  '%s%n',
  'é',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS).map((text) => ({ kind: 'inject' as const, text })) },
  { weight: 5, arbitrary: anyValue.map((value) => ({ kind: 'set' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })), anyValue)
      .map(([key, value]) => ({ kind: 'add' as const, key, value })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...DEEP_VALUES).map((raw) => ({ kind: 'deep' as const, raw })) },
  { weight: 2, arbitrary: fc.constantFrom(...NOT_UTF8).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
);

/** The sample with each mutation applied at a place picked by its index; raw text and bytes spliced in last. */
function mutated(sample: unknown, changes: [number, Mutation][]): { body: string | Buffer; json: unknown } {
  const body = structuredClone(sample) as Record<string, unknown>;
  const raws: string[] = [];
  const bytes: number[][] = [];
  for (const [pick, change] of changes) {
    const all = paths(body);
    const path = all[pick % all.length]!;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], body);
    const key = path.at(-1);
    if (change.kind === 'add') {
      const target = path.reduce<any>((node, k) => node?.[k], body);
      if (target && typeof target === 'object' && !Array.isArray(target))
        Object.defineProperty(target, change.key, {
          value: change.value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      continue;
    }
    if (key === undefined || !parent || typeof parent !== 'object') continue;
    if (change.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (change.kind === 'inject') {
      const text = typeof parent[key] === 'string' ? (parent[key] as string) : '';
      parent[key] = `${text.slice(0, 3)}${change.text}${text.slice(3)}`;
    } else if (change.kind === 'bytes') {
      const text = typeof parent[key] === 'string' ? (parent[key] as string) : '';
      bytes.push(change.bytes);
      parent[key] = `${text.slice(0, 3)}${BYTES}${text.slice(3)}`;
    } else if (change.kind === 'deep') {
      raws.push(change.raw);
      parent[key] = RAW;
    } else {
      parent[key] = change.value;
    }
  }
  let text = JSON.stringify(body);
  for (const raw of raws) text = text.replace(JSON.stringify(RAW), raw);
  // A later mutation may have replaced or dropped the place the bytes were put in.
  const pieces = text.split(JSON.stringify(BYTES).slice(1, -1));
  if (pieces.length === 1) return { body: text, json: parseJson(text) };
  return {
    body: Buffer.concat(
      pieces.flatMap((piece, i) =>
        i ? [Buffer.from(bytes[(i - 1) % bytes.length]!), Buffer.from(piece)] : [Buffer.from(piece)],
      ),
    ),
    json: undefined,
  };
}

function fromSample(sample: (n: number) => unknown): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(jsonTypes, fc.nat(), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
    .map(([contentType, n, changes]) => {
      const { body, json } = mutated(sample(n), changes);
      return { contentType, body, json };
    });
}

function fuzzRequest(
  keys: string[],
  sample: ((n: number) => unknown) | undefined,
  formSample: ((n: number) => Record<string, string>) | undefined,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: sample ? 12 : 0, arbitrary: sample ? fromSample(sample) : fc.constant({ body: '' }) },
    { weight: formSample ? 12 : 0, arbitrary: formSample ? fromFormSample(formSample) : fc.constant({ body: '' }) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(jsonTypes, objectOf(keys))
        .map(([contentType, json]) => ({ contentType, body: JSON.stringify(json), json })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(jsonTypes, anyValue)
        .map(([contentType, json]) => ({ contentType, body: JSON.stringify(json), json })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(jsonTypes, rawText(keys))
        .map(([contentType, body]) => ({ contentType, body, json: parseJson(body) })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(jsonTypes, invalidUtf8(keys)).map(([contentType, body]) => ({ contentType, body })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(otherTypes, objectOf(keys))
        .map(([contentType, json]) => ({ contentType, body: JSON.stringify(json) })),
    },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A query string: mostly the route's own parameters, so that strict validation lets the values
 * through to the store, with hostile fragments in otherwise plain values; sometimes others, repeated,
 * empty, long or not UTF-8.
 */
function fuzzQuery(keys: string[]) {
  const known = fc.constantFrom(...(keys.length ? keys : ['lang', 'page']));
  const other = fc.oneof(fc.constantFrom('lang', 'page', ...HOSTILE_KEYS), fc.string({ maxLength: 8 }));
  const text = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('a', 'fuzz', 'example.org', '1', 'en', '2026-01-01'), fc.constantFrom(...FRAGMENTS))
        .map(([plain, fragment]) => `${plain}${fragment}`),
    },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
  // encodeURIComponent cannot write half a surrogate pair; the raw escapes below send such bytes.
  const value = fc.oneof(
    { weight: 5, arbitrary: text.map((v) => encodeURIComponent(v.replace(/\p{Cs}/gu, ''))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%ff%fe',
        '%ED%A0%80',
        '%',
        '%zz',
        '%C0%80',
        'a'.repeat(2000),
        '[]',
        '{}',
        'true',
        '-0',
        '1e400',
      ),
    },
  );
  const suffix = fc.constantFrom('', '', '', '[]', '[a]');
  const pairs = fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.tuple(known, value, suffix), { minLength: 1, maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(fc.oneof(known, other).map(encodeURIComponent), value, suffix), { maxLength: 8 }),
    },
  );
  return pairs.map((list) => list.map(([k, v, end]) => `${k}${end}=${v}`).join('&'));
}

describe.each(databaseKinds())('bad input on every route on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let routes: WalkedRoute[];
  let specs: Map<string, RouteSpec>;
  /** Path parameters: existing rows, so that a request let through would reach them. */
  const values: Record<string, string> = { token: 'not-a-token', slug: '1', path: 'bulletins' };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url });
    routes = walkRoutes(app.express).filter(
      (route) => route.path !== STAFF_PAGES && !route.path.startsWith(`${STAFF_PAGES}/`),
    );
    specs = new Map(apiRoutes(app).map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec]));
    const bulletinId = await sendableBulletin(app);
    values['bulletins/id'] = String(bulletinId);
    values['versions/versionId'] = String(
      (await (await app.request('GET', `/api/bulletins/${bulletinId}`)).json()).versionId,
    );
    values['topics/key'] = 'weekly-bulletin';
    await app.request('POST', '/api/topics', { json: { key: 'public-news', name: { en: 'News' }, public: true } });
    const created = async (path: string, json: unknown) =>
      String((await (await app.request('POST', path, { json })).json()).id);
    values['subscribers/id'] = await created('/api/subscribers', {
      email: 'fuzz@example.org',
      status: 'active',
      topics: ['weekly-bulletin'],
    });
    values['segments/id'] = await created('/api/segments', { name: 'Fuzz', rule: { tag: 'fuzz' } });
    values['blocks/id'] = await created('/api/blocks', { name: 'Fuzz', block: { type: 'divider' } });
    values['templates/id'] = await created('/api/templates', { name: 'Fuzz', document: exampleBulletin() });
    values['campaigns/id'] = await created(`/api/bulletins/${bulletinId}/send`, {
      rule: { tag: 'fuzz' },
      scheduledAt: '2099-01-01T00:00:00Z',
    });
    values['staff/id'] = String(
      (
        await app.stores.staff.createUser({
          email: 'fuzz-editor@example.org',
          password: 'a long enough password',
          role: 'editor',
        })
      ).id,
    );
    values['tokens/id'] = String((await app.stores.staff.createToken({ name: 'spare', role: 'editor' })).id);
    await app.suppressions.add('erased@example.org', 'erased');
    values['suppressions/hash'] = app.suppressions.hash('erased@example.org');
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  /**
   * Sends one request and returns what is wrong with its answer, if anything. `state.db` is the
   * database as it stands; a refusal must leave it so, anything else replaces it. Without `state`
   * (GETs, which change nothing whatever they answer) the caller compares the database once.
   */
  async function check(
    route: WalkedRoute,
    url: string,
    init: RequestInit,
    valid: (() => boolean) | undefined,
    state: { db: Record<string, string[]> } | undefined,
  ): Promise<string | undefined> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { authorization: `Bearer ${app.adminToken}`, ...init.headers },
      });
      text = await res.text();
    } catch (err) {
      // A stream cut halfway (a CSV export that fails after its 200) is a failure too.
      return `no complete answer: ${(err as Error & { cause?: Error }).cause?.message ?? err}`;
    }
    if (res.status >= 500) return `${res.status}: ${text.slice(0, 300)}`;
    if (res.status < 400) {
      if (state) state.db = await databaseSnapshot(app.db);
      return valid && !valid() ? `${res.status} for a body its schema refuses: ${text.slice(0, 200)}` : undefined;
    }
    if (route.path.startsWith('/api/')) {
      const body = parseJson(text) as { error?: { code?: unknown; message?: unknown } } | undefined;
      if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string')
        return `${res.status} without {error: {code, message}}: ${text.slice(0, 200)}`;
    }
    if (!state) return undefined;
    const after = await databaseSnapshot(app.db);
    if (JSON.stringify(after) !== JSON.stringify(state.db)) {
      const changed = Object.keys(after).filter(
        (table) => JSON.stringify(after[table]) !== JSON.stringify(state.db[table]),
      );
      state.db = after;
      return `${res.status} but the database changed (${changed.join(', ')})`;
    }
    return undefined;
  }

  /** Runs a property per route; returns each route's first failure, with fast-check's seed and counterexample. */
  async function fuzz<T>(
    targets: WalkedRoute[],
    arbitrary: (route: WalkedRoute) => fc.Arbitrary<T>,
    send: (route: WalkedRoute, value: T, state: { db: Record<string, string[]> }) => Promise<string | undefined>,
    numRuns: number,
  ) {
    const failures: Record<string, string> = {};
    const state = { db: await databaseSnapshot(app.db) };
    for (const route of targets) {
      const result = await fc.check(
        fc.asyncProperty(arbitrary(route), async (value) => {
          const problem = await send(route, value, state);
          if (problem) throw new Error(problem);
        }),
        { seed: SEED, numRuns, endOnFailure: true },
      );
      if (result.failed) {
        const example = JSON.stringify(result.counterexample?.[0], (_k, v: unknown) =>
          typeof v === 'string' && v.length > 200
            ? `${v.slice(0, 200)}…(${v.length})`
            : (v as { type?: string })?.type === 'Buffer'
              ? `bytes ${Buffer.from((v as { data: number[] }).data).toString('hex')}`
              : v,
        );
        failures[routeKey(route)] =
          `${(result.errorInstance as Error)?.message} (seed ${result.seed}, path ${result.counterexamplePath}) ` +
          `for ${example?.slice(0, 600)}`;
      }
    }
    return failures;
  }

  it('has a valid sample body for every route that declares a body schema', () => {
    const missing = [...specs]
      .filter(([, spec]) => spec.body)
      .filter(([key, spec]) => !SAMPLES[key] || !spec.body!.safeParse(SAMPLES[key](0)).success);
    expect(missing.map(([key]) => key)).toEqual([]);
  });

  it('answers every fuzzed POST, PUT and PATCH body with 4xx or a valid 2xx; a refusal changes nothing', async () => {
    const writes = routes.filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
    // Today 32: the API, sign-in and setup, the public forms, the SES webhook.
    expect(writes.length).toBeGreaterThan(25);
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const failures = await fuzz(
      writes,
      (route) =>
        fuzzRequest(
          schemaKeys(specs.get(routeKey(route))?.body),
          SAMPLES[routeKey(route)],
          FORM_SAMPLES[routeKey(route)],
        ),
      (route, request, state) => {
        const spec = specs.get(routeKey(route));
        const isJson = request.json !== undefined;
        // A route with a body schema may accept only what that schema accepts, and only as JSON.
        const valid = spec?.body ? () => isJson && spec.body!.safeParse(request.json).success : undefined;
        const init: RequestInit = {
          method: route.method,
          body: request.body as BodyInit,
          headers: { ...request.headers, ...(request.contentType ? { 'content-type': request.contentType } : {}) },
        };
        return check(route, `${app.baseUrl}${fillPath(route.path, values)}`, init, valid, state);
      },
      BODY_RUNS,
    );
    // Chance alone seldom puts one fragment in one form field: each field is also sent each fragment.
    const state = { db: await databaseSnapshot(app.db) };
    for (const [key, sample] of Object.entries(FORM_SAMPLES)) {
      const route = writes.find((r) => routeKey(r) === key)!;
      for (const field of Object.keys(sample(0))) {
        for (const [i, fragment] of FRAGMENTS.entries()) {
          const form = sample(i);
          form[field] = `${form[field]!.slice(0, 3)}${fragment}${form[field]!.slice(3)}`;
          const init = {
            method: 'POST',
            body: new URLSearchParams(form).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i}` },
          };
          const problem = await check(route, `${app.baseUrl}${fillPath(route.path, values)}`, init, undefined, state);
          if (problem) failures[`${key} with ${JSON.stringify(fragment)} in ${field}`] = problem;
        }
      }
    }
    expect(failures).toEqual({});
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 240_000);

  it('answers every query string fast-check makes on every GET with a 4xx or a 2xx, and changes nothing', async () => {
    const gets = routes.filter(
      (route) => route.method === 'GET' && specs.get(routeKey(route))?.responseContentType !== STREAMING,
    );
    expect(gets.length).toBeGreaterThan(25);
    const before = await databaseSnapshot(app.db);
    const failures = await fuzz(
      gets,
      (route) => fuzzQuery(schemaKeys(specs.get(routeKey(route))?.query)),
      (route, query) =>
        check(route, `${app.baseUrl}${fillPath(route.path, values)}?${query}`, { method: 'GET' }, undefined, undefined),
      QUERY_RUNS,
    );
    // Chance alone seldom puts one fragment in one parameter: each declared parameter is also sent each fragment.
    for (const route of gets) {
      for (const key of schemaKeys(specs.get(routeKey(route))?.query)) {
        for (const fragment of [
          ...FRAGMENTS.filter((f) => !/\p{Cs}/u.test(f)).map((f) => encodeURIComponent(`a${f}`)),
          'a%ED%A0%80',
          'a%ff',
        ]) {
          const problem = await check(
            route,
            `${app.baseUrl}${fillPath(route.path, values)}?${key}=${fragment}`,
            { method: 'GET' },
            undefined,
            undefined,
          );
          if (problem) failures[`${routeKey(route)}?${key}=${fragment}`] = problem;
        }
      }
    }
    expect(failures).toEqual({});
    // An export is the one GET the audit trail records: each new entry is one, and nothing else changed.
    const { audit_events: entries, ...after } = await databaseSnapshot(app.db);
    const { audit_events: entriesBefore, ...rest } = before;
    expect(after).toEqual(rest);
    const added = entries!.filter((entry) => !entriesBefore!.includes(entry));
    expect(added.map((entry) => JSON.parse(entry).action)).toEqual(added.map(() => 'subscribers_exported'));
  }, 120_000);
});
