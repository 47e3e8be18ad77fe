import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('topics API on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  it('creates, lists, updates and deletes a topic', async () => {
    const created = await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      key: 'weekly-bulletin',
      name: { es: 'Boletín semanal' },
      public: true,
      description: {},
    });

    const updated = await app.request('PATCH', '/api/topics/weekly-bulletin', {
      json: { description: { en: 'News every Thursday', es: 'Noticias cada jueves' }, public: false },
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ public: false, description: { es: 'Noticias cada jueves' } });

    const list = await (await app.request('GET', '/api/topics')).json();
    expect(list.data.map((t: { key: string }) => t.key)).toEqual(['weekly-bulletin']);

    expect((await app.request('DELETE', '/api/topics/weekly-bulletin')).status).toBe(204);
    expect((await app.request('GET', '/api/topics/weekly-bulletin')).status).toBe(404);
    expect((await app.request('DELETE', '/api/topics/weekly-bulletin')).status).toBe(404);
  });

  it('keeps what a change leaves out, and removes a description given as {}', async () => {
    await app.request('POST', '/api/topics', {
      json: { key: 'housing', name: { en: 'Housing' }, description: { en: 'Rent and tenancy news' }, public: true },
    });
    const renamed = await app.request('PATCH', '/api/topics/housing', {
      json: { name: { en: 'Housing', es: 'Vivienda' } },
    });
    expect(await renamed.json()).toMatchObject({ public: true, description: { en: 'Rent and tenancy news' } });

    const cleared = await app.request('PATCH', '/api/topics/housing', { json: { description: {} } });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ public: true, name: { es: 'Vivienda' }, description: {} });
  });

  it('refuses a second topic with the same key with 409', async () => {
    const body = { key: 'refugees', name: { en: 'Refugee news' } };
    expect((await app.request('POST', '/api/topics', { json: body })).status).toBe(201);
    const again = await app.request('POST', '/api/topics', { json: body });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');
  });

  it('names every bad field of a topic, and changes nothing', async () => {
    const res = await app.request('POST', '/api/topics', {
      json: { key: 'Bad Key!', name: { klingon: 'x' }, public: 'yes', extra: 1 },
    });
    expect(res.status).toBe(400);
    const paths = (await res.json()).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['key', 'name.klingon', 'public', 'extra']));
    const list = await (await app.request('GET', '/api/topics')).json();
    expect(list.data.find((t: { key: string }) => t.key === 'Bad Key!')).toBeUndefined();
  });

  it('answers a malformed key in the path with 400 naming it', async () => {
    const res = await app.request('PATCH', '/api/topics/NOT_A_KEY', { json: { public: true } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues[0].path).toBe('key');
  });
});
