import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('GET /healthz on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close().catch(() => {});
    app = undefined;
  });

  it('answers 200 naming the database when the database and Redis answer', async () => {
    app = await startTestApp(kind);
    const res = await app.request('GET', '/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: kind, redis: 'ok' });
  });

  it('answers 503 naming Redis when Redis is unreachable', async () => {
    app = await startTestApp(kind, { redisUrl: 'redis://127.0.0.1:1' });
    const res = await app.request('GET', '/healthz', { token: null });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', db: kind, redis: 'unreachable', failing: ['redis'] });
  });

  it('answers 503 naming the database when the database is down', async () => {
    app = await startTestApp(kind);
    await app.db.database.close();
    const res = await app.request('GET', '/healthz', { token: null });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', db: 'unreachable', redis: 'ok', failing: ['db'] });
  });
});
