// No silent overwrite: a save names the version it was made on (If-Match or ?baseVersion=), and
// one made on an older version is refused with 409 and the current version, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { Bulletin, BulletinVersion } from '../../src/bulletins/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';

const withSubject = (en: string): BulletinDocument => {
  const document = exampleBulletin();
  document.subject.en = en;
  return document;
};

describe.each(databaseKinds())('saving over a newer version on %s', (kind) => {
  let app: TestApp;

  const create = async (): Promise<Bulletin> => {
    const res = await app.request('POST', '/api/bulletins', { json: exampleBulletin() });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    return (await res.json()) as Bulletin;
  };
  const put = (id: number, document: BulletinDocument, options: { ifMatch?: string; query?: string } = {}) =>
    app.request('PUT', `/api/bulletins/${id}${options.query ?? ''}`, {
      json: document,
      headers: options.ifMatch ? { 'If-Match': options.ifMatch } : {},
    });
  const current = async (id: number) => (await (await app.request('GET', `/api/bulletins/${id}`)).json()) as Bulletin;

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers an ETag of the version, and saves with it as If-Match', async () => {
    const { id } = await create();
    const got = await app.request('GET', `/api/bulletins/${id}`);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe('"1"');

    const saved = await put(id, withSubject('Mine'), { ifMatch: etag });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect(await saved.json()).toMatchObject({ version: 2, document: { subject: { en: 'Mine' } } });
  });

  it('refuses a save made on an older version with 409 and the current version, and changes nothing', async () => {
    const { id } = await create();
    expect((await put(id, withSubject('Theirs'), { ifMatch: '"1"' })).status).toBe(200);

    for (const options of [{ ifMatch: '"1"' }, { ifMatch: 'W/"1"' }, { query: '?baseVersion=1' }]) {
      const refused = await put(id, withSubject('Mine'), options);
      expect(refused.status, JSON.stringify(options)).toBe(409);
      const { error } = (await refused.json()) as { error: { code: string; current: BulletinVersion } };
      expect(error.code).toBe('conflict');
      expect(error.current).toMatchObject({
        version: 2,
        savedBy: 'token: admin',
        document: { subject: { en: 'Theirs' } },
      });
      expect(error.current.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const after = await current(id);
    expect(after).toMatchObject({ version: 2, document: { subject: { en: 'Theirs' } } });
    expect((await app.stores.bulletins.versions(id)).map((v) => v.version)).toEqual([1, 2]);

    const rebased = await put(id, withSubject('Mine'), { query: '?baseVersion=2' });
    expect(rebased.status).toBe(200);
    expect(await rebased.json()).toMatchObject({ version: 3 });
  });

  it('still saves without a base, last write wins, as API clients did before', async () => {
    const { id } = await create();
    expect((await put(id, withSubject('One'))).status).toBe(200);
    expect((await put(id, withSubject('Two'), { ifMatch: '*' })).status).toBe(200);
    expect(await current(id)).toMatchObject({ version: 3, document: { subject: { en: 'Two' } } });
  });

  it('names a malformed If-Match, or one the query contradicts', async () => {
    const { id } = await create();
    const malformed = await put(id, withSubject('Mine'), { ifMatch: 'version one' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { issues: [{ path: 'If-Match' }] } });
    const contradicted = await put(id, withSubject('Mine'), { ifMatch: '"1"', query: '?baseVersion=2' });
    expect(contradicted.status).toBe(400);
    expect(await contradicted.json()).toMatchObject({ error: { issues: [{ path: 'baseVersion' }] } });
    expect(await current(id)).toMatchObject({ version: 1 });
  });

  it('lets exactly one of two concurrent saves on one base through', async () => {
    const { id } = await create();
    const answers = await Promise.all([
      put(id, withSubject('First'), { ifMatch: '"1"' }),
      put(id, withSubject('Second'), { ifMatch: '"1"' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!;
    const { document } = (await winner.json()) as Bulletin;
    expect(await current(id)).toMatchObject({ version: 2, document: { subject: document.subject } });
    expect((await app.stores.bulletins.versions(id)).map((v) => v.version)).toEqual([1, 2]);
  });

  it('lets exactly one of many concurrent store saves on one base through', async () => {
    const { id } = await create();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => app.stores.bulletins.save(id, withSubject(`Save ${i}`), null, 1)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect((await app.stores.bulletins.versions(id)).map((v) => v.version)).toEqual([1, 2]);
  });

  it('documents If-Match and the 409 in the OpenAPI document', async () => {
    const openapi = (await (await app.request('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: object }>>;
    };
    const operation = openapi.paths['/api/bulletins/{id}']!.put!;
    expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header' }));
    expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'baseVersion', in: 'query' }));
    expect(operation.responses).toHaveProperty('409');
  });
});
