// The audit trail: each recorded action appears once with who did it (a signed-in person or an
// API token), failed sign-ins without the password (and without an address that is no staff
// member's), exports with their filter and row count, erasures by subscriber id only; GET
// /api/audit filters, pages and refuses bad input naming the field; old entries are pruned; and a
// campaign's report says who scheduled, paused, resumed and cancelled it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, bestEffort } from '../../src/audit/audit-log.js';
import type { AuditEntry, AuditPage } from '../../src/audit/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';

describe.each(databaseKinds())('the audit trail on %s', (kind) => {
  let app: TestApp;
  let ana: StaffSession;
  let adminTokenId: number;

  const json = async <T = any>(res: Response, status = 200): Promise<T> => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body as T;
  };
  /** The id of the newest entry, to read what a test adds after it. */
  const mark = async () => (await app.stores.audit.list({ limit: 1 })).data[0]?.id ?? 0;
  /** Entries after `since`, oldest first. */
  const since = async (since: number): Promise<AuditEntry[]> =>
    (await app.stores.audit.list({ limit: 200 })).data.filter((e) => e.id > since).reverse();
  /** Every column of every row, as text: for what must appear nowhere in the table. */
  const wholeTable = async () =>
    JSON.stringify(await app.db.database.db.selectFrom('audit_events').selectAll().execute());
  const asAna = (json?: unknown) => ({ token: null, headers: ana.headers(), json });

  beforeAll(async () => {
    app = await startTestApp(kind);
    adminTokenId = (await app.stores.staff.listTokens()).find((t) => t.name === 'admin')!.id;
    await sendableBulletin(app);
  });
  afterAll(() => app.close());

  it('records sign-ins, and failed ones without the password or an address that is no account', async () => {
    const before = await mark();
    ana = await signIn(app, 'ana@example.org', 'admin');
    const wrong = { email: 'ana@example.org', password: 'not-the-passphrase-9731' };
    expect((await app.request('POST', '/api/session', { token: null, json: wrong })).status).toBe(401);
    const stranger = { email: 'mallory@elsewhere.example', password: 'guessing-away-5521' };
    expect((await app.request('POST', '/api/session', { token: null, json: stranger })).status).toBe(401);

    const entries = await since(before);
    expect(entries.map((e) => [e.action, e.actor, e.target, e.details])).toEqual([
      [
        'signed_in',
        { kind: 'staff', id: ana.staff.id, name: 'ana@example.org' },
        { type: 'staff', id: ana.staff.id },
        {},
      ],
      [
        'sign_in_failed',
        { kind: 'anonymous', id: null, name: 'anonymous' },
        { type: 'staff', id: ana.staff.id },
        { email: 'ana@example.org' },
      ],
      ['sign_in_failed', { kind: 'anonymous', id: null, name: 'anonymous' }, null, {}],
    ]);
    const table = await wholeTable();
    for (const secret of [wrong.password, stranger.password, stranger.email]) expect(table).not.toContain(secret);
  });

  it("records a campaign's schedule, reschedule, pause, resume and cancel once each; its report says who", async () => {
    const bulletinId = await sendableBulletin(app);
    const before = await mark();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const rule = { emailDomain: 'nobody.example' };
    const campaign = await json(
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule, scheduledAt: later } }),
      201,
    );
    const sooner = new Date(Date.now() + 1_800_000).toISOString();
    await json(await app.request('PATCH', `/api/campaigns/${campaign.id}`, asAna({ scheduledAt: sooner })));
    // As if the worker had started it, which this app has none of.
    await app.db.database.db.updateTable('campaigns').set({ state: 'sending' }).where('id', '=', campaign.id).execute();
    await json(await app.request('POST', `/api/campaigns/${campaign.id}/pause`, asAna()));
    await json(await app.request('POST', `/api/campaigns/${campaign.id}/resume`));
    await json(await app.request('POST', `/api/campaigns/${campaign.id}/cancel`, asAna()));
    // Refused: nothing done, nothing recorded.
    expect((await app.request('POST', `/api/campaigns/${campaign.id}/pause`, asAna())).status).toBe(409);

    const token = { kind: 'token', id: adminTokenId, name: 'admin' };
    const person = { kind: 'staff', id: ana.staff.id, name: 'ana@example.org' };
    const entries = await since(before);
    expect(entries.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['campaign_scheduled', token, { type: 'campaign', id: campaign.id }],
      ['campaign_rescheduled', person, { type: 'campaign', id: campaign.id }],
      ['campaign_paused', person, { type: 'campaign', id: campaign.id }],
      ['campaign_resumed', token, { type: 'campaign', id: campaign.id }],
      ['campaign_cancelled', person, { type: 'campaign', id: campaign.id }],
    ]);
    expect(entries[0]!.details).toEqual({ bulletinId, scheduledAt: later, rule });

    const report = await json(await app.request('GET', `/api/campaigns/${campaign.id}`));
    expect(report.history.map((h: { action: string; by: unknown }) => [h.action, h.by])).toEqual(
      entries.map((e) => [e.action, e.actor]),
    );
    expect(report.history[0].at).toBe(entries[0]!.at);
  });

  it('records settings, staff and token changes with what changed', async () => {
    const before = await mark();
    await json(
      await app.request('PUT', '/api/settings', asAna({ senderName: 'NNIRR news', organisationName: 'NNIRR' })),
    );
    const bea = await json(
      await app.request('POST', '/api/staff', {
        json: { email: 'bea@example.org', password: 'another long passphrase', role: 'editor' },
      }),
      201,
    );
    await json(await app.request('PATCH', `/api/staff/${bea.id}`, asAna({ role: 'admin' })));
    // A patch that changes nothing records nothing.
    await json(await app.request('PATCH', `/api/staff/${bea.id}`, asAna({ role: 'admin' })));
    expect((await app.request('DELETE', `/api/staff/${bea.id}`, asAna())).status).toBe(204);
    const created = await json(
      await app.request('POST', '/api/tokens', asAna({ name: 'ci-bot', role: 'editor' })),
      201,
    );
    expect((await app.request('DELETE', `/api/tokens/${created.id}`)).status).toBe(204);

    const entries = await since(before);
    expect(entries.map((e) => [e.action, e.actor.name, e.target, e.details])).toEqual([
      [
        'settings_changed',
        'ana@example.org',
        { type: 'settings', id: null },
        { fields: ['organisationName', 'senderName'] },
      ],
      ['staff_created', 'admin', { type: 'staff', id: bea.id }, { email: 'bea@example.org', role: 'editor' }],
      [
        'staff_changed',
        'ana@example.org',
        { type: 'staff', id: bea.id },
        { email: 'bea@example.org', role: { from: 'editor', to: 'admin' } },
      ],
      ['staff_deleted', 'ana@example.org', { type: 'staff', id: bea.id }, { email: 'bea@example.org', role: 'admin' }],
      [
        'token_created',
        'ana@example.org',
        { type: 'token', id: created.id },
        { name: 'ci-bot', role: 'editor', expiresAt: null },
      ],
      ['token_revoked', 'admin', { type: 'token', id: created.id }, { name: 'ci-bot', role: 'editor' }],
    ]);
    expect(await wholeTable()).not.toContain('another long passphrase');
  });

  it('records an export with its filter and row count, and an erasure by id only', async () => {
    await importAudience(app, 9, 'reader', 'export.example'); // every third in Spanish: 3
    const before = await mark();
    const csv = await app.request('GET', '/api/subscribers/export?language=es&email=export.example', asAna());
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\n')).toHaveLength(4);
    const target = (await app.stores.subscribers.list({ email: 'reader4@export.example', perPage: 1 })).data[0]!;
    expect((await app.request('DELETE', `/api/subscribers/${target.id}`)).status).toBe(204);

    const [exported, erased, ...more] = await since(before);
    expect(more).toEqual([]);
    expect(exported).toMatchObject({
      action: 'subscribers_exported',
      actor: { kind: 'staff', name: 'ana@example.org' },
      target: null,
      details: { filter: { language: 'es', email: 'export.example' }, rows: 3 },
    });
    expect(erased).toMatchObject({
      action: 'subscriber_erased',
      actor: { kind: 'token', name: 'admin' },
      target: { type: 'subscriber', id: target.id },
      details: {},
    });
    expect(await wholeTable()).not.toContain('reader4');
  });

  it('filters by person, action and time, and pages newest first with a cursor', async () => {
    const all = await json<AuditPage>(await app.request('GET', '/api/audit?limit=200'));
    expect(all.next).toBeNull();
    const ids = all.data.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const byAna = await json<AuditPage>(await app.request('GET', `/api/audit?staffId=${ana.staff.id}&limit=200`));
    expect(byAna.data.length).toBeGreaterThan(3);
    expect(byAna.data.every((e) => e.actor.kind === 'staff' && e.actor.id === ana.staff.id)).toBe(true);
    const byToken = await json<AuditPage>(await app.request('GET', `/api/audit?tokenId=${adminTokenId}&limit=200`));
    expect(byToken.data.length).toBe(all.data.filter((e) => e.actor.kind === 'token').length);

    const paused = await json<AuditPage>(await app.request('GET', '/api/audit?action=campaign_paused'));
    expect(paused.data.map((e) => e.action)).toEqual(['campaign_paused']);

    const middle = all.data[Math.floor(all.data.length / 2)]!;
    const from = await json<AuditPage>(await app.request('GET', `/api/audit?limit=200&from=${middle.at}`));
    expect(from.data.every((e) => e.at >= middle.at)).toBe(true);
    expect(from.data.map((e) => e.id)).toContain(middle.id);
    const to = await json<AuditPage>(await app.request('GET', `/api/audit?limit=200&to=${middle.at}`));
    expect(to.data.every((e) => e.at < middle.at)).toBe(true);
    expect(from.data.length + to.data.length).toBe(all.data.length);

    const pages: number[] = [];
    let next: number | null = null;
    do {
      const page: AuditPage = await json<AuditPage>(
        await app.request('GET', `/api/audit?limit=4${next === null ? '' : `&before=${next}`}`),
      );
      expect(page.data.length).toBeLessThanOrEqual(4);
      pages.push(...page.data.map((e) => e.id));
      next = page.next;
    } while (next !== null);
    expect(pages).toEqual(ids);
  });

  it('is described in the OpenAPI document with its filters', async () => {
    const doc = await json(await app.request('GET', '/api/openapi.json', { token: null }));
    const get = doc.paths['/api/audit'].get;
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'staffId',
      'tokenId',
      'action',
      'from',
      'to',
      'before',
      'limit',
    ]);
    const action = get.parameters.find((p: { name: string }) => p.name === 'action');
    expect(action.schema.enum).toEqual(expect.arrayContaining(['signed_in', 'subscriber_erased']));
    expect(get.description).toMatch(/`admin`/);
  });

  it('refuses a bad filter naming the field, and anyone but an admin', async () => {
    const issues = async (query: string) =>
      (await json(await app.request('GET', `/api/audit?${query}`), 400)).error.issues.map(
        (i: { path: string }) => i.path,
      );
    expect(await issues('action=sent_everything')).toEqual(['action']);
    expect(await issues('limit=1000')).toEqual(['limit']);
    expect(await issues('from=yesterday')).toEqual(['from']);
    expect(await issues('staffId=1&tokenId=1')).toEqual(['tokenId']);
    expect(await issues('who=ana')).toEqual(['who']);
    expect((await app.request('GET', '/api/audit', { token: app.editorToken })).status).toBe(403);
    const bea = await signIn(app, 'bea.editor@example.org', 'editor');
    expect((await app.request('GET', '/api/audit', { token: null, headers: bea.headers() })).status).toBe(403);
  });

  it('forgets entries older than the retention time, and keeps the rest', async () => {
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const actor = { kind: 'staff' as const, id: ana.staff.id, name: 'ana@example.org' };
    await app.stores.audit.record({ actor, action: 'settings_changed', details: { fields: ['old'] } }, daysAgo(401));
    await app.stores.audit.record({ actor, action: 'settings_changed', details: { fields: ['recent'] } }, daysAgo(399));
    const count = async () => (await app.stores.audit.list({ limit: 200 })).data.length;
    const before = await count();
    expect(await app.stores.audit.prune(400, now)).toBe(1);
    expect(await count()).toBe(before - 1);
    const fields = (await app.stores.audit.list({ action: 'settings_changed', limit: 200 })).data.map(
      (e) => e.details.fields,
    );
    expect(fields).toContainEqual(['recent']);
    expect(fields).not.toContainEqual(['old']);
  });

  it('lets an action stand when its entry cannot be written, and tells the log', async () => {
    const failures: unknown[] = [];
    const recorder = bestEffort(app.stores.audit, (err, entry) => failures.push([entry.action, err]));
    const db = app.db.database.db;
    await db.schema.alterTable('audit_events').renameTo('audit_events_away').execute();
    try {
      // Through the app: the settings change stands though its entry could not be written.
      const res = await app.request('PUT', '/api/settings', { json: { senderName: 'Written anyway' } });
      expect(res.status).toBe(200);
      expect((await app.stores.settings.get()).senderName).toBe('Written anyway');
      await recorder.record({ actor: ANONYMOUS, action: 'sign_in_failed' });
      expect(failures).toEqual([['sign_in_failed', expect.any(Error)]]);
    } finally {
      await db.schema.alterTable('audit_events_away').renameTo('audit_events').execute();
    }
  });
});
