import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('subscribers API on %s', (kind) => {
  let app: TestApp;
  const create = (json: unknown) => app.request('POST', '/api/subscribers', { json });

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const key of ['weekly-bulletin', 'refugees', 'border']) {
      await app.request('POST', '/api/topics', { json: { key, name: { en: key } } });
    }
  });
  afterAll(() => app.close());

  it('adds a subscriber as pending unless told active, and logs the consent', async () => {
    const res = await create({
      email: ' Ana.Lopez@Example.ORG ',
      name: 'Ana López',
      language: 'es',
      topics: ['refugees'],
      tags: ['press'],
    });
    expect(res.status).toBe(201);
    const ana = await res.json();
    expect(ana).toMatchObject({
      email: 'ana.lopez@example.org',
      status: 'pending',
      language: 'es',
      topics: ['refugees'],
      tags: ['press'],
    });

    const active = await (await create({ email: 'ben@example.org', status: 'active' })).json();
    expect(active.status).toBe('active');

    const events = await app.db.database.db
      .selectFrom('consent_events')
      .selectAll()
      .where('subscriber_id', 'in', [ana.id, active.id])
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.event, e.source, e.language])).toEqual([
      ['subscription_requested', 'api', 'es'],
      ['subscribed', 'api', 'en'],
    ]);
  });

  it('treats emails as case-insensitive: a second ANA is a conflict', async () => {
    const res = await create({ email: 'ANA.LOPEZ@example.org' });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
  });

  it('refuses a status a client may not set at creation', async () => {
    const res = await create({ email: 'x@example.org', status: 'bounced' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues[0].path).toBe('status');
  });

  it('rejects an unknown topic with 400 and creates nobody', async () => {
    const res = await create({ email: 'carla@example.org', topics: ['refugees', 'no-such-topic'] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues).toEqual([
      { path: 'topics[1]', message: 'no topic with key "no-such-topic"' },
    ]);
    const list = await (await app.request('GET', '/api/subscribers?email=carla')).json();
    expect(list.total).toBe(0);
  });

  it('names each bad field of a subscriber', async () => {
    const res = await create({ email: 'not-an-email', language: 'Klingon', tags: [''], attributes: [] });
    expect(res.status).toBe(400);
    const paths = (await res.json()).error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['attributes', 'email', 'language', 'tags[0]']);
  });

  it('reads a language in any case, or by its English or own name, and stores its code', async () => {
    const written = {
      'es-upper@example.org': 'ES',
      'es-name@example.org': 'Spanish',
      'es-native@example.org': 'español',
      'pt@example.org': 'pt-br',
    };
    for (const [email, language] of Object.entries(written))
      expect((await create({ email, language, status: 'active' })).status, language).toBe(201);
    const stored = await app.db.database.db
      .selectFrom('subscribers')
      .select(['email', 'language'])
      .where('email', 'in', Object.keys(written))
      .orderBy('email')
      .execute();
    expect(stored).toEqual([
      { email: 'es-name@example.org', language: 'es' },
      { email: 'es-native@example.org', language: 'es' },
      { email: 'es-upper@example.org', language: 'es' },
      { email: 'pt@example.org', language: 'pt-BR' },
    ]);

    const pt = (await (await app.request('GET', '/api/subscribers?language=PT-BR')).json()).data;
    expect(pt.map((s: { email: string }) => s.email)).toEqual(['pt@example.org']);
    const patched = await app.request('PATCH', `/api/subscribers/${pt[0].id}`, { json: { language: 'Français' } });
    expect(await patched.json()).toMatchObject({ language: 'fr' });

    const refused = await app.request('PATCH', `/api/subscribers/${pt[0].id}`, { json: { language: 'Klingon' } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.issues).toEqual([
      {
        path: 'language',
        message: "must be a language code such as en, es or pt-BR, or a language's name such as Spanish or Español",
      },
    ]);
  });

  it('lists a page at a time and filters by email, status, topic, language and tag', async () => {
    for (let i = 0; i < 5; i++) {
      await create({
        email: `page${i}@example.org`,
        status: 'active',
        topics: ['border'],
        tags: i % 2 ? ['volunteer'] : [],
        language: i < 2 ? 'es' : 'en',
      });
    }
    const first = await (await app.request('GET', '/api/subscribers?email=page&perPage=2')).json();
    expect(first).toMatchObject({ perPage: 2, total: 5, totalCapped: false, previous: null });
    const page = await (await app.request('GET', `/api/subscribers?email=page&perPage=2&cursor=${first.next}`)).json();
    expect(page.data.map((s: { email: string }) => s.email)).toEqual(['page2@example.org', 'page3@example.org']);

    const q = async (query: string) =>
      (await (await app.request('GET', `/api/subscribers?${query}`)).json()).data.map(
        (s: { email: string }) => s.email,
      );
    expect(await q('topic=border&tag=volunteer')).toEqual(['page1@example.org', 'page3@example.org']);
    expect(await q('topic=border&language=es')).toEqual(['page0@example.org', 'page1@example.org']);
    expect(await q('status=pending')).toEqual(['ana.lopez@example.org']);
    expect(await q('tag=press')).toEqual(['ana.lopez@example.org']);
    expect(await q('email=100%25')).toEqual([]); // a % is matched literally, not as a wildcard
  });

  it('answers malformed paging and filters with 400 naming the parameter', async () => {
    for (const [query, path] of [
      ['perPage=1000', 'perPage'],
      ['cursor=abc', 'cursor'],
      ['page=2', 'page'],
      ['status=gone', 'status'],
      ['colour=red', 'colour'],
    ]) {
      const res = await app.request('GET', `/api/subscribers?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.issues[0].path, query).toBe(path);
    }
    const badId = await app.request('GET', '/api/subscribers/abc');
    expect(badId.status).toBe(400);
    expect((await badId.json()).error.issues[0].path).toBe('id');
    expect((await app.request('GET', '/api/subscribers/999999')).status).toBe(404);
  });

  it('updates fields, replaces topics and tags, and logs a status change', async () => {
    const ben = (await (await app.request('GET', '/api/subscribers?email=ben@')).json()).data[0];
    const res = await app.request('PATCH', `/api/subscribers/${ben.id}`, {
      json: {
        name: 'Ben',
        topics: ['weekly-bulletin', 'border'],
        tags: ['board'],
        attributes: { city: 'El Paso' },
        status: 'unsubscribed',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'Ben',
      topics: ['border', 'weekly-bulletin'],
      tags: ['board'],
      attributes: { city: 'El Paso' },
      status: 'unsubscribed',
    });
    const { consent } = await (await app.request('GET', `/api/subscribers/${ben.id}`)).json();
    expect(consent.map((e: { event: string; source: string }) => [e.event, e.source])).toEqual([
      ['subscribed', 'api'],
      ['unsubscribed', 'api'],
    ]);

    const empty = await app.request('PATCH', `/api/subscribers/${ben.id}`, { json: {} });
    expect(empty.status).toBe(400);
    const taken = await app.request('PATCH', `/api/subscribers/${ben.id}`, {
      json: { email: 'ANA.lopez@example.org' },
    });
    expect(taken.status).toBe(409);
  });

  it('erases a subscriber: the personal data goes, a hash stays, the address cannot come back silently', async () => {
    const dana = await (
      await create({ email: 'dana@example.org', name: 'Dana', tags: ['press'], topics: ['refugees'] })
    ).json();
    expect((await app.request('DELETE', `/api/subscribers/${dana.id}`, { token: app.editorToken })).status).toBe(403);
    expect((await app.request('DELETE', `/api/subscribers/${dana.id}`)).status).toBe(204);
    expect((await app.request('GET', `/api/subscribers/${dana.id}`)).status).toBe(404);

    const db = app.db.database.db;
    expect(await db.selectFrom('subscriber_tags').selectAll().where('subscriber_id', '=', dana.id).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('consent_events').selectAll().where('subscriber_id', '=', dana.id).execute()).toEqual(
      [],
    );
    const suppressions = await db.selectFrom('suppressions').selectAll().execute();
    expect(suppressions).toEqual([
      { email_hash: app.suppressions.hash('dana@example.org'), reason: 'erased', created_at: expect.any(String) },
    ]);
    expect(JSON.stringify(suppressions)).not.toContain('dana');

    const again = await create({ email: 'Dana@Example.org' });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('suppressed');
  });

  it("writes it in the consent history when staff suppress a subscriber's address", async () => {
    const eve = await (await create({ email: 'eve@example.org', status: 'active' })).json();
    await app.request('POST', '/api/suppressions', { json: { email: 'EVE@example.org', reason: 'complained' } });
    const { consent } = await (await app.request('GET', `/api/subscribers/${eve.id}`)).json();
    expect(consent.map((e: { event: string; source: string }) => `${e.event}/${e.source}`)).toEqual([
      'subscribed/api',
      'suppressed:complained/api',
    ]);
  });
});
