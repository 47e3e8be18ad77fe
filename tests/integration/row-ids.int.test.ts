// Every id column is an `integer`, on PostgreSQL at most 2,147,483,647. A larger id names no row: it
// answers 400 naming the field, never the 500 of PostgreSQL's "integer out of range". Every API
// route with an id in its path comes from walking the app, so a route added later is covered; the
// ids in query strings, bodies and rules are listed here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import { MAX_ID } from '../../src/http/api-routes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { fillPath, routeKey, walkRoutes } from '../helpers/routes.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

const HUGE = 99_999_999_999;

/** A valid body for each route with an id in its path and a body schema: only the id is wrong. */
const BODIES: Record<string, unknown> = {
  'PUT /api/bulletins/:id': exampleBulletin(),
  'PUT /api/bulletins/:id/presence': { editing: false },
  'POST /api/bulletins/:id/send': { rule: { all: [] }, scheduledAt: '2099-01-01T00:00:00Z' },
  'POST /api/bulletins/:id/test': { to: ['tester@example.org'] },
  'POST /api/bulletins/:id/translations/still-correct': { field: 'subject', language: 'es' },
  'PATCH /api/subscribers/:id': { name: 'Ana' },
  'PATCH /api/segments/:id': { name: 'Renamed' },
  'PATCH /api/blocks/:id': { name: 'Renamed' },
  'PATCH /api/templates/:id': { name: 'Renamed' },
  'PATCH /api/campaigns/:id': { scheduledAt: '2099-06-01T00:00:00Z' },
  'POST /api/campaigns/:id/retry-failed': { include: ['failed'] },
  'POST /api/campaigns/:id/decline': { comment: 'Not this week' },
  'PATCH /api/staff/:id': { role: 'editor' },
  'PATCH /api/webhooks/:id': { description: 'CRM' },
};

describe.each(databaseKinds())('ids past the integer columns on %s', (kind) => {
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    bulletinId = await sendableBulletin(app);
  });
  afterAll(() => app?.close());

  it('answers 400 naming the id in the path of every route that has one, and changes nothing', async () => {
    const specs = new Map(apiRoutes(app).map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec]));
    const withIds = walkRoutes(app.express).filter(
      (route) => route.path.startsWith('/api/') && /:\w*[iI]d\b/.test(route.path),
    );
    expect(withIds.length).toBeGreaterThan(20);
    const before = await databaseSnapshot(app.db);
    for (const route of withIds) {
      const key = routeKey(route);
      if (specs.get(key)?.body) expect(BODIES, `${key} needs a body here`).toHaveProperty([key]);
      const path = fillPath(route.path, { id: String(HUGE), versionId: String(HUGE), language: 'es' });
      const res = await app.request(route.method, path, { json: BODIES[key] });
      expect(res.status, `${key}: ${await res.clone().text()}`).toBe(400);
      const fields = (await res.json()).error.issues.map((i: { path: string }) => i.path);
      expect(fields, key).toEqual(route.path.includes(':versionId') ? ['id', 'versionId'] : ['id']);
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('answers 400 naming an id in a query string, a body or a rule', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', `/api/bulletins/${bulletinId}/preview?versionId=${HUGE}`, undefined, 'versionId'],
      ['GET', `/api/campaigns?bulletinId=${HUGE}`, undefined, 'bulletinId'],
      ['POST', '/api/audience/preview', { segmentId: HUGE }, 'segmentId'],
      ['POST', '/api/audience/preview', { rule: { all: [] }, bulletinId: HUGE }, 'bulletinId'],
      ['POST', '/api/audience/preview', { rule: { campaign: HUGE, received: true } }, 'rule.campaign'],
      ['POST', '/api/segments', { name: 'Huge', rule: { campaign: HUGE, received: false } }, 'rule.campaign'],
      ['POST', `/api/bulletins/${bulletinId}/send`, { segmentId: HUGE }, 'segmentId'],
    ];
    for (const [method, path, json, field] of cases) {
      const res = await app.request(method, path, { json });
      expect(res.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(400);
      expect((await res.json()).error.issues.map((i: { path: string }) => i.path)).toEqual([field]);
    }
  });

  it(`finds no row for the largest id, ${MAX_ID.toLocaleString('en')}, rather than refusing it`, async () => {
    expect((await app.request('GET', `/api/subscribers/${MAX_ID}`)).status).toBe(404);
    expect((await app.request('GET', `/api/bulletins/${MAX_ID}`)).status).toBe(404);
  });
});
