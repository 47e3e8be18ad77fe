import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('API access and errors on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  it('refuses a request without a token with 401', async () => {
    const res = await app.request('GET', '/api/topics', { token: null });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('refuses an unknown or tampered token with 401', async () => {
    const tampered = app.adminToken.slice(0, -1) + (app.adminToken.endsWith('A') ? 'B' : 'A');
    for (const token of ['nonsense', tampered, `pgn_0000000000000000_${'x'.repeat(43)}`]) {
      expect((await app.request('GET', '/api/topics', { token })).status).toBe(401);
    }
  });

  it('refuses an editor token on an admin route with 403, and lets it read', async () => {
    const write = await app.request('POST', '/api/topics', {
      token: app.editorToken,
      json: { key: 'x', name: { en: 'X' } },
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error.code).toBe('forbidden');
    expect((await app.request('GET', '/api/topics', { token: app.editorToken })).status).toBe(200);
    expect((await app.request('GET', '/api/topics')).status).toBe(200);
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await app.request('POST', '/api/topics', {
      body: '{"key":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_input',
        message: expect.any(String),
        issues: [{ path: 'body', message: 'is not valid JSON' }],
      },
    });
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await app.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('answers 500 without internals when the database is gone, and a client error still 4xx', async () => {
    const broken = await startTestApp(kind);
    await broken.db.database.close();
    const res = await broken.request('GET', '/api/topics');
    // the token check itself needs the database: a 500, but without a word of the driver's error
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe('internal');
    expect(JSON.stringify(body)).not.toMatch(/destroy|sqlite|postgres|stack|at /i);
    expect((await broken.request('GET', '/api/topics', { token: null })).status).toBe(401);
    await broken.close().catch(() => {});
  });

  it('publishes an OpenAPI document generated from the schemas, without a token', async () => {
    const res = await app.request('GET', '/api/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/topics',
        '/api/topics/{key}',
        '/api/subscribers',
        '/api/subscribers/{id}',
        '/api/subscribers/import',
        '/api/subscribers/export',
      ]),
    );
    const create = doc.paths['/api/subscribers'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['email']);
    expect(schema.properties.status.enum).toEqual(['pending', 'active']);
    expect(doc.paths['/api/subscribers/import'].post.requestBody.content).toHaveProperty('text/csv');
    expect(doc.paths['/api/subscribers'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['email', 'status', 'topic', 'language', 'tag', 'cursor', 'perPage']),
    );
  });
});
