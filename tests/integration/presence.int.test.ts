// Who else has a bulletin open: staff members' (and tokens') heartbeats through Redis, each seen by
// the others and not by themselves, gone at once when they leave and a window after their last
// heartbeat when they just vanish; nothing kept beyond that window. With Redis away nobody is
// shown and nothing fails.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinPresence, PRESENCE_WINDOW_MS, type Viewer } from '../../src/bulletins/presence.js';
import { commandClient, type RedisClient } from '../../src/redis.js';
import { REDIS_URL, startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';

describe.each(databaseKinds())('presence on %s', (kind) => {
  let app: TestApp;
  let offline: TestApp;
  let ana: StaffSession;
  let luis: StaffSession;

  beforeAll(async () => {
    [app, offline] = await Promise.all([
      startTestApp(kind),
      // Redis for everything but the queues unreachable: nothing answers on port 9.
      startTestApp(kind, { redisUrl: 'redis://127.0.0.1:9' }),
    ]);
    ana = await signIn(app, 'ana@example.org', 'editor');
    luis = await signIn(app, 'luis@example.org', 'admin');
  });
  afterAll(() => Promise.all([app?.close(), offline?.close()]));

  const bulletin = async (target = app) => (await target.stores.bulletins.create(exampleBulletin())).id;
  const beat = async (id: number, who: StaffSession | null, json: unknown = {}, target = app) => {
    const res = await target.request('PUT', `/api/bulletins/${id}/presence`, {
      json,
      ...(who ? { token: null, headers: who.headers() } : {}),
    });
    return { status: res.status, body: await res.json() };
  };
  const leave = async (id: number, who: StaffSession) =>
    (await app.request('DELETE', `/api/bulletins/${id}/presence`, { token: null, headers: who.headers() })).status;

  it('shows each staff member the others on the same bulletin, not themselves, nor those on another', async () => {
    const [id, other] = [await bulletin(), await bulletin()];
    expect(await beat(id, ana)).toEqual({ status: 200, body: { data: [] } });
    const seenByLuis = await beat(id, luis, { editing: true });
    expect(seenByLuis.body.data).toEqual([
      { kind: 'staff', name: 'ana@example.org', since: expect.any(String), editing: false },
    ]);
    const anaSince = seenByLuis.body.data[0].since;
    expect((await beat(id, ana, { editing: true })).body.data).toEqual([
      { kind: 'staff', name: 'luis@example.org', since: expect.any(String), editing: true },
    ]);
    // A later heartbeat keeps since when she has been here, and says she now edits.
    expect((await beat(id, luis)).body.data).toEqual([
      { kind: 'staff', name: 'ana@example.org', since: anaSince, editing: true },
    ]);
    // A script with an API token is someone too, by its token's name.
    await beat(id, null);
    expect((await beat(id, ana)).body.data.map((v: { kind: string; name: string }) => `${v.kind} ${v.name}`)).toEqual([
      'staff luis@example.org',
      'token admin',
    ]);
    expect((await beat(other, ana)).body.data).toEqual([]);
  });

  it('forgets someone at once when they leave', async () => {
    const id = await bulletin();
    await beat(id, ana);
    expect((await beat(id, luis)).body.data).toHaveLength(1);
    expect(await leave(id, ana)).toBe(204);
    expect((await beat(id, luis)).body.data).toEqual([]);
    // Leaving twice, or a bulletin never opened, is no error.
    expect(await leave(id, ana)).toBe(204);
  });

  it('refuses a heartbeat it cannot read, naming the field, and one for a bulletin that is not there', async () => {
    const id = await bulletin();
    for (const [json, field] of [
      [{ editing: 'yes' }, 'editing'],
      [{ editing: true, email: 'x@example.org' }, 'email'],
      [[], 'body'],
    ] as const) {
      const { status, body } = await beat(id, ana, json);
      expect(status, JSON.stringify(json)).toBe(400);
      expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual([field]);
    }
    expect((await beat(999_999, ana)).status).toBe(404);
    // A session's heartbeat without its CSRF token is refused, as every change is.
    const res = await app.request('PUT', `/api/bulletins/${id}/presence`, {
      json: {},
      token: null,
      headers: ana.headers({ csrf: false }),
    });
    expect(res.status).toBe(403);
  });

  it('is in the OpenAPI document, both ways', async () => {
    const doc = await (await app.request('GET', '/api/openapi.json', { token: null })).json();
    const path = doc.paths['/api/bulletins/{id}/presence'];
    expect(Object.keys(path)).toEqual(['put', 'delete']);
    expect(Object.keys(path.put.requestBody.content['application/json'].schema.properties)).toEqual(['editing']);
    expect(Object.keys(path.put.responses)).toContain('200');
    expect(Object.keys(path.delete.responses)).toContain('204');
  });

  it('shows nobody, and fails nothing, while Redis is away', async () => {
    const id = await bulletin(offline);
    expect(await beat(id, null, { editing: true }, offline)).toEqual({ status: 200, body: { data: [] } });
    const res = await offline.request('DELETE', `/api/bulletins/${id}/presence`);
    expect(res.status).toBe(204);
    // The rest of the composer's calls still work.
    expect((await offline.request('GET', `/api/bulletins/${id}`)).status).toBe(200);
  });
});

describe('presence in Redis', () => {
  const prefix = `test-${randomUUID()}:presence`;
  const ana: Viewer = { key: 'staff:1', kind: 'staff', name: 'ana@example.org' };
  const luis: Viewer = { key: 'staff:2', kind: 'staff', name: 'luis@example.org' };
  let redis: RedisClient;
  let clock = Date.parse('2026-12-05T10:00:00Z');
  let presence: BulletinPresence;

  beforeAll(() => {
    redis = commandClient(REDIS_URL);
    presence = new BulletinPresence(redis, prefix, () => clock);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('forgets someone whose last heartbeat is 30 seconds old, and keeps nothing longer than that', async () => {
    await presence.beat(1, ana, false);
    clock += PRESENCE_WINDOW_MS - 1;
    expect((await presence.beat(1, luis, false)).map((v) => v.name)).toEqual(['ana@example.org']);
    clock += 1;
    expect(await presence.beat(1, luis, false)).toEqual([]);
    // Ana's entry is gone from Redis, not only from the answer; the hash itself ends with the window.
    expect(await redis.hkeys(`${prefix}:1`)).toEqual([luis.key]);
    const ttl = await redis.pttl(`${prefix}:1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(PRESENCE_WINDOW_MS);
    // Back after the gap, she is here since now, not since her first visit.
    await presence.beat(1, ana, false);
    expect(await presence.beat(1, luis, false)).toEqual([
      { kind: 'staff', name: 'ana@example.org', since: new Date(clock).toISOString(), editing: false },
    ]);
  });

  it('answers nobody over a connection that is closed', async () => {
    const closed = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    closed.disconnect();
    const gone = new BulletinPresence(closed, prefix, () => clock);
    expect(await gone.beat(1, ana, true)).toEqual([]);
    await expect(gone.leave(1, ana.key)).resolves.toBeUndefined();
  });
});
