// Content that kept the preview, the checks and the audience preview busy for seconds, or made
// them answer 500 (security review 2026-12): past the caps it is refused with 400 naming the field,
// and saves nothing; under them everything answers; what the renderer cannot render is a 422
// finding that blocks the send. How long the worst cases take is in docs/reliability.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BULLETIN_TEXT } from '../../src/bulletins/document.js';
import { MAX_RULE_NODES } from '../../src/audience/rules.js';
import type { MjmlEngine } from '../../src/render/mjml-engine.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

/** The most one Markdown field holds. */
const FIELD = 20_000;

const textBulletin = (bodies: string[]) => ({
  version: 1,
  title: 'Pathological',
  languages: ['en'],
  subject: { en: 'Hello' },
  blocks: bodies.map((body) => ({ type: 'text', body: { en: body } })),
});
const fill = (unit: string, length = FIELD) => unit.repeat(Math.floor(length / unit.length));
const issues = async (res: Response) => (await res.json()).error.issues as { path: string; message: string }[];

describe.each(databaseKinds())('pathological content on %s', (kind) => {
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    bulletinId = await sendableBulletin(app);
  });
  afterAll(() => app?.close());

  const renders = async (id: number) => {
    for (const format of ['html', 'text', 'mjml']) {
      const res = await app.request('GET', `/api/bulletins/${id}/preview?format=${format}`);
      expect(res.status, `${format}: ${(await res.clone().text()).slice(0, 300)}`).toBe(200);
    }
    const checks = await app.request('GET', `/api/bulletins/${id}/checks`);
    expect(checks.status, await checks.clone().text()).toBe(200);
  };

  it("refuses the review's 962 KB bulletin, naming the field that takes it past the cap; saves nothing", async () => {
    // 48 blocks of "_a" × 10,000: the preview took 24 s, the checks 44 s.
    const review = textBulletin(Array.from({ length: 48 }, () => '_a'.repeat(10_000)));
    const before = await databaseSnapshot(app.db);
    for (const [method, path] of [
      ['POST', '/api/bulletins'],
      ['PUT', `/api/bulletins/${bulletinId}`],
    ] as const) {
      const res = await app.request(method, path, { json: review });
      expect(res.status, method).toBe(400);
      // The title, language, subject and four blocks come to 80,043 characters; the fifth body passes 100,000.
      expect(await issues(res)).toEqual([
        { path: 'blocks[4].body.en', message: expect.stringContaining(MAX_BULLETIN_TEXT.toLocaleString('en')) },
      ]);
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('previews and checks a bulletin just under the caps, of the texts marked read slowest', async () => {
    const worst = textBulletin(['_a', '*a', '!', '__a', '~~a '].map((unit) => fill(unit, FIELD - 10)));
    const res = await app.request('POST', '/api/bulletins', { json: worst });
    expect(res.status, await res.clone().text()).toBe(201);
    await renders((await res.json()).id);
  });

  it('previews and checks ">" × 2,000 and the other nesting that overflowed the stack', async () => {
    const nested = textBulletin([
      '>'.repeat(2000),
      `${'+ '.repeat(2000)}a`,
      `${'**'.repeat(2000)}a${'**'.repeat(2000)}`,
      `${'~~a '.repeat(2000)}a${' a~~'.repeat(2000)}`,
    ]);
    const res = await app.request('POST', '/api/bulletins', { json: nested });
    expect(res.status, await res.clone().text()).toBe(201);
    await renders((await res.json()).id);
  });

  describe('rules', () => {
    /** The review's rule: 99 "contains" conditions of 500 characters (3.5 s over 150,000 subscribers). */
    const review = {
      any: Array.from({ length: 99 }, (_, i) => ({ attribute: 'state', op: 'contains', value: `${i}`.padEnd(500) })),
    };
    const conditions = (n: number) => Array.from({ length: n }, (_, i) => ({ tag: `tag-${i}` }));
    /** Where each rule may go: the audience preview, a segment, a send. */
    const uses = (rule: unknown): [string, unknown][] => [
      ['/api/audience/preview', { rule }],
      ['/api/segments', { name: 'Segment', rule }],
      [`/api/bulletins/${bulletinId}/send`, { rule, scheduledAt: '2099-01-01T00:00:00Z' }],
    ];

    it('refuses a rule past the caps with 400 naming where, in the preview, a segment and a send', async () => {
      const cases: [unknown, string, RegExp][] = [
        [review, 'rule.any', new RegExp(`at most ${MAX_RULE_NODES} rules`)],
        // 13 parts over two groups: the 11th is named.
        [{ all: [{ any: conditions(5) }, { any: conditions(5) }] }, 'rule.all[1].any[2]', /at most 10 parts/],
        // SQLite refused the LIKE pattern with a 500 ("LIKE or GLOB pattern too complex").
        [{ emailDomain: `${'a'.repeat(60_000)}.org` }, 'rule.emailDomain', /at most 253 characters/],
      ];
      const before = await databaseSnapshot(app.db);
      for (const [rule, path, message] of cases) {
        for (const [url, json] of uses(rule)) {
          const res = await app.request('POST', url, { json });
          expect(res.status, `${url} ${path}`).toBe(400);
          expect(await issues(res), `${url} ${path}`).toEqual([{ path, message: expect.stringMatching(message) }]);
        }
      }
      expect(await databaseSnapshot(app.db)).toEqual(before);
    });

    it(`takes a rule of ${MAX_RULE_NODES} parts and a domain of 253 characters`, async () => {
      const domain = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(61)}.${'d'.repeat(61)}.org`;
      expect(domain).toHaveLength(253);
      for (const rule of [{ any: conditions(MAX_RULE_NODES - 1) }, { emailDomain: domain }]) {
        const res = await app.request('POST', '/api/audience/preview', { json: { rule } });
        expect(res.status, await res.clone().text()).toBe(200);
      }
    });
  });
});

describe.each(databaseKinds())('a bulletin the renderer fails on, on %s', (kind) => {
  let app: TestApp;
  let bulletinId: number;
  /** What MJML's recursion threw on content nested too deep, before the lexer held nesting. */
  const failing: MjmlEngine = {
    async toHtml() {
      throw new RangeError('Maximum call stack size exceeded');
    },
  };

  beforeAll(async () => {
    app = await startTestApp(kind, { mjml: failing });
    bulletinId = await sendableBulletin(app);
  });
  afterAll(() => app?.close());

  it('answers 422 with a render_failed finding, not 500: preview, checks, send and test send', async () => {
    const before = await databaseSnapshot(app.db);
    const requests: [string, string, unknown?][] = [
      ['GET', `/api/bulletins/${bulletinId}/preview`],
      ['GET', `/api/bulletins/${bulletinId}/preview?lang=es&format=text`],
      ['GET', `/api/bulletins/${bulletinId}/checks`],
      ['POST', `/api/bulletins/${bulletinId}/send`, { rule: { all: [] } }],
      ['POST', `/api/bulletins/${bulletinId}/test`, { to: ['tester@example.org'] }],
    ];
    for (const [method, path, json] of requests) {
      const res = await app.request(method, path, { json });
      expect(res.status, `${method} ${path}`).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe('unprocessable');
      expect(error.findings, path).toEqual([
        {
          level: 'error',
          code: 'render_failed',
          message: expect.stringContaining('Maximum call stack size exceeded'),
          language: path.includes('lang=es') ? 'es' : 'en',
        },
      ]);
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });
});
