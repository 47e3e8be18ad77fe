// The subscribers list a page at a time by cursor (keyset on id), and the search by part of an
// address through the trigram index of either database (migration 0027).
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/audience/page-cursor.js';
import type { SubscriberPage } from '../../src/audience/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

describe.each(databaseKinds())('the subscribers list by cursor on %s', (kind) => {
  let app: TestApp;
  const ids = new Map<string, number>();

  const list = async (query: string): Promise<SubscriberPage> => {
    const res = await app.request('GET', `/api/subscribers?${query}`);
    expect(res.status, query).toBe(200);
    return res.json();
  };
  const emails = (page: SubscriberPage) => page.data.map((s) => s.email);
  /** Every page from the first, following `next`, with `between` run after each page. */
  const walk = async (query: string, between: (page: number) => Promise<void> = async () => {}) => {
    const pages: SubscriberPage[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page);
      await between(pages.length);
      cursor = page.next;
    }
    return pages;
  };
  const add = async (email: string, extra: Record<string, unknown> = {}) => {
    const res = await app.request('POST', '/api/subscribers', { json: { email, status: 'active', ...extra } });
    expect(res.status, email).toBe(201);
    ids.set(email, (await res.json()).id);
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    await app.request('POST', '/api/topics', { json: { key: 'border', name: { en: 'Border' } } });
    for (let i = 0; i < 23; i++) {
      await add(`walk${String(i).padStart(2, '0')}@list.example`, {
        topics: i % 3 ? [] : ['border'],
        tags: i % 4 ? [] : ['press'],
        language: i % 2 ? 'es' : 'en',
      });
    }
    // Addresses holding the characters LIKE treats as wildcards or its escape.
    for (const email of ['100%_off@odd.example', '100xyoff@odd.example', 'back\\slash@odd.example', 'ab@odd.example']) {
      await app.db.database.db
        .insertInto('subscribers')
        .values({
          email,
          name: '',
          language: 'en',
          status: 'active',
          attributes: '{}',
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .execute();
    }
  });
  afterAll(() => app.close());

  it('covers every subscriber exactly once, in id order, page by page', async () => {
    const pages = await walk('email=list.example&perPage=5');
    expect(pages.map((p) => p.data.length)).toEqual([5, 5, 5, 5, 3]);
    const seen = pages.flatMap((p) => p.data.map((s) => s.id));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(23);
    expect(pages[0]!.previous).toBeNull();
    expect(pages.slice(1).every((p) => p.previous !== null)).toBe(true);
    expect(pages.every((p) => p.total === 23 && !p.totalCapped)).toBe(true);
  });

  it('keeps the other filters across pages', async () => {
    const pages = await walk('topic=border&language=en&perPage=2');
    const expected = [...ids.keys()].filter((_, i) => i % 3 === 0 && i % 2 === 0);
    expect(pages.flatMap(emails)).toEqual(expected);
    expect((await walk('tag=press&status=active&perPage=3')).flatMap(emails)).toEqual(
      [...ids.keys()].filter((_, i) => i % 4 === 0),
    );
  });

  it('goes back with previous, and at the start shows the first page full', async () => {
    const pages = await walk('email=list.example&perPage=5');
    const back = await list(`email=list.example&perPage=5&cursor=${pages[3]!.previous}`);
    expect(emails(back)).toEqual(emails(pages[2]!));
    expect(back.next).not.toBeNull();
    // A cursor just after the first subscriber: the page before it would hold one; the first page holds five.
    const nearStart = encodeCursor({ before: pages[0]!.data[1]!.id });
    const start = await list(`email=list.example&perPage=5&cursor=${nearStart}`);
    expect(emails(start)).toEqual(emails(pages[0]!));
    expect(start.previous).toBeNull();
  });

  it('neither repeats nor skips anyone when subscribers come and go between pages', async () => {
    const before = (await walk('email=list.example&perPage=4')).flatMap(emails);
    const gone = before[9]!;
    const pages = await walk('email=list.example&perPage=4', async (page) => {
      if (page !== 2) return;
      // After page 2: one not yet shown leaves, one shown leaves, a newcomer arrives (at the end, by id).
      expect((await app.request('DELETE', `/api/subscribers/${ids.get(gone)}`)).status).toBe(204);
      expect((await app.request('DELETE', `/api/subscribers/${ids.get(before[0]!)}`)).status).toBe(204);
      await add('walk99@list.example');
    });
    const seen = pages.flatMap(emails);
    expect(seen).toEqual([...before.filter((email) => email !== gone), 'walk99@list.example']);
  });

  it('finds part of an address, long or short, with wildcards taken literally', async () => {
    const found = async (fragment: string) =>
      emails(await list(`email=${encodeURIComponent(fragment)}&perPage=100`)).sort();
    expect(await found('WALK1')).toEqual([...ids.keys()].filter((e) => e.startsWith('walk1')).sort());
    expect(await found('k13@list.exam')).toEqual(['walk13@list.example']);
    expect(await found('%_off')).toEqual(['100%_off@odd.example']);
    expect(await found('0%_')).toEqual(['100%_off@odd.example']);
    expect(await found('_off')).toEqual(['100%_off@odd.example']);
    expect(await found('k\\s')).toEqual(['back\\slash@odd.example']);
    expect(await found('nobody-has-this')).toEqual([]);
    // One or two characters: the addresses that start with them.
    expect(await found('ab')).toEqual(['ab@odd.example']);
    expect(await found('1')).toEqual(['100%_off@odd.example', '100xyoff@odd.example']);
    expect(await found('%')).toEqual([]);
    expect(await found('b')).toEqual(['back\\slash@odd.example']);
  });

  it('finds an address by its new part after a change, and not after an erase', async () => {
    await add('rename-me@list.example');
    const id = ids.get('rename-me@list.example')!;
    await app.request('PATCH', `/api/subscribers/${id}`, { json: { email: 'renamed-now@list.example' } });
    expect(emails(await list('email=rename-me'))).toEqual([]);
    expect(emails(await list('email=renamed-now'))).toEqual(['renamed-now@list.example']);
    await app.request('DELETE', `/api/subscribers/${id}`);
    expect(emails(await list('email=renamed-now'))).toEqual([]);
  });

  it('exports what the list finds by part of an address', async () => {
    const csv = await (await app.request('GET', '/api/subscribers/export?email=%25_off')).text();
    expect((parse(csv, { columns: true }) as { email: string }[]).map((r) => r.email)).toEqual([
      '100%_off@odd.example',
    ]);
  });

  it('answers a cursor it did not give out with 400 naming cursor', async () => {
    for (const cursor of ['abc', encodeCursor({ after: 1 }).slice(1), 'YS4x!', btoa('a.-1'), btoa('c.5'), '']) {
      const res = await app.request('GET', `/api/subscribers?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect((await res.json()).error.issues[0].path, cursor).toBe('cursor');
    }
  });
});
