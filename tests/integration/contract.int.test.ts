// Every JSON answer has the shape its route declares: a live answer of each route, parsed with the
// response schema taken from the app's own route table, with no field more and none less. A store
// that adds a field, or drops one, fails here before a client (or the staff app) meets it.
import { isDeepStrictEqual } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiRoutes } from '../../src/app.js';
import { Topic } from '../../src/audience/schemas.js';
import type { RouteSpec } from '../../src/http/api-routes.js';
import { formatPath } from '../../src/errors.js';
import { SessionAnswer } from '../../src/staff/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, insertCampaign, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, STAFF_PASSWORD, type StaffSession } from '../helpers/sessions.js';
import { ScriptedSes } from '../support/scripted-ses.js';

/** What is wrong with `answer` as `schema` reads it: each issue, and each field the schema does not declare. */
function contractProblems(schema: z.ZodType, answer: unknown): string[] {
  const result = schema.safeParse(answer);
  if (!result.success) return result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const undeclared = droppedFields(answer, result.data, '').map((path) => `${path}: not in the schema`);
  if (undeclared.length) return undeclared;
  // Nothing dropped and nothing missing: parsing must then give the answer back as it was.
  return isDeepStrictEqual(result.data, answer) ? [] : ['parsing changed the answer'];
}

/** The paths of the fields in `answer` that parsing left out of `parsed`: zod drops what a schema does not declare. */
function droppedFields(answer: unknown, parsed: unknown, path: string): string[] {
  const at = (key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);
  if (Array.isArray(answer) && Array.isArray(parsed)) {
    return answer.flatMap((item, i) => droppedFields(item, parsed[i], at(i)));
  }
  if (isRecord(answer) && isRecord(parsed)) {
    return Object.keys(answer).flatMap((key) =>
      Object.hasOwn(parsed, key) ? droppedFields(answer[key], parsed[key], at(key)) : [at(key)],
    );
  }
  return [];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

describe('the contract check', () => {
  const topic = {
    key: 'weekly',
    name: { en: 'Weekly' },
    description: {},
    public: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('passes an answer with exactly the declared fields', () => {
    expect(contractProblems(Topic, topic)).toEqual([]);
  });

  it('names a field the schema does not declare, however deep', () => {
    expect(contractProblems(Topic, { ...topic, id: 3 })).toEqual(['id: not in the schema']);
    expect(contractProblems(Topic.array(), [topic, { ...topic, extra: true }])).toEqual([
      '[1].extra: not in the schema',
    ]);
  });

  it('names a field the answer lacks', () => {
    const { updatedAt: _, ...withoutUpdatedAt } = topic;
    expect(contractProblems(Topic, withoutUpdatedAt)).toEqual([expect.stringMatching(/^updatedAt: /)]);
  });
});

describe.each(databaseKinds())('live answers against their declared schemas on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let routes: RouteSpec[];
  let admin: StaffSession;
  const checked = new Set<string>();

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    routes = apiRoutes(app);
    admin = await signIn(app, 'ana@example.org', 'admin');
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  const keyOf = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method.toUpperCase()} ${route.path}`;

  /**
   * Calls the route declared as `method template` (at `path` when the template has parameters),
   * checks its status and its answer against the route's response schema, and returns the answer.
   */
  async function answer(
    method: string,
    template: string,
    options: { path?: string; json?: unknown; body?: string; headers?: Record<string, string>; session?: boolean } = {},
  ) {
    const route = routes.find((r) => keyOf(r) === `${method} ${template}`);
    if (!route?.response) throw new Error(`${method} ${template} is not a route with a response schema`);
    const { path = template, session, ...request } = options;
    const res = await app.request(method, `/api${path}`, {
      ...request,
      ...(session ? { token: null, headers: { ...request.headers, ...admin.headers() } } : {}),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(route.status ?? 200);
    expect(contractProblems(route.response, body), `${method} ${path}`).toEqual([]);
    checked.add(keyOf(route));
    return body;
  }

  it('topics and subscribers', async () => {
    await answer('POST', '/topics', {
      json: { key: 'weekly', name: { en: 'Weekly', es: 'Semanal' }, description: { en: 'News' }, public: true },
    });
    await answer('GET', '/topics');
    await answer('GET', '/topics/:key', { path: '/topics/weekly' });
    await answer('PATCH', '/topics/:key', { path: '/topics/weekly', json: { public: false } });

    const subscriber = await answer('POST', '/subscribers', {
      json: {
        email: 'Rosa@Example.org',
        name: 'Rosa',
        language: 'es',
        topics: ['weekly'],
        tags: ['press'],
        attributes: { state: 'TX', volunteer: true },
      },
    });
    // Still pending: its confirmation mail can be queued again.
    await answer('POST', '/subscribers/:id/confirmation', { path: `/subscribers/${subscriber.id}/confirmation` });
    await answer('PATCH', '/subscribers/:id', {
      path: `/subscribers/${subscriber.id}`,
      json: { status: 'active', pausedUntil: '2030-01-01T00:00:00Z' },
    });
    // Consent events now hold a request and a subscription.
    await answer('GET', '/subscribers/:id', { path: `/subscribers/${subscriber.id}` });
    await answer('GET', '/subscribers', { path: '/subscribers?perPage=10' });
    // A report with problems, one of them a quote never closed (which has lastLine).
    const report = await answer('POST', '/subscribers/import', {
      body: 'email,name,topics\nluis@example.org,Luis,weekly\nnot-an-address,Bad,\nmia@example.org,"Mia\nx,y\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(report.errors).toEqual([
      expect.objectContaining({ email: 'not-an-address' }),
      expect.objectContaining({ lastLine: expect.any(Number) }),
    ]);
    // Tags in bulk, both forms, each with a problem (a CSV row by line, a JSON item by index).
    await answer('POST', '/subscribers/tags', {
      path: '/subscribers/tags?tag=press&action=add',
      body: 'email\nluis@example.org\nnot-an-address\n',
      headers: { 'content-type': 'text/csv' },
    });
    const tagged = await answer('POST', '/subscribers/tags', {
      json: { tag: 'press', action: 'remove', emails: ['luis@example.org', 'nobody@example.org', 'nope'] },
    });
    expect(tagged).toMatchObject({ changed: 1, notFound: 1, errors: [{ index: 2 }] });
  });

  it('the audience: preview, segments, suppressions', async () => {
    const rule = { all: [{ topic: 'weekly' }, { language: ['es'] }] };
    await answer('POST', '/audience/preview', { json: { rule, topic: 'weekly' } });
    // With a bulletin whose blocks have audiences: a count for each of them.
    const conditional = exampleBulletin();
    conditional.blocks[0] = { ...conditional.blocks[0]!, audience: { not: { tag: 'signed-petition' } } };
    const bulletin = await answer('POST', '/bulletins', { json: conditional });
    const counted = await answer('POST', '/audience/preview', { json: { rule, bulletinId: bulletin.id } });
    expect(counted.blocks).toEqual([{ index: 0, type: conditional.blocks[0]!.type, shown: expect.any(Number) }]);
    const segment = await answer('POST', '/segments', { json: { name: 'Spanish readers', rule } });
    await answer('GET', '/segments');
    await answer('GET', '/segments/:id', { path: `/segments/${segment.id}` });
    await answer('PATCH', '/segments/:id', { path: `/segments/${segment.id}`, json: { name: 'Lectores' } });
    await answer('POST', '/suppressions', { json: { email: 'gone@example.org', reason: 'complained' } });
    await answer('GET', '/suppressions');
  });

  it('settings, and the setup checklist', async () => {
    await answer('GET', '/settings');
    await answer('PUT', '/settings', { json: { organisationName: 'Red Solidaria', postalAddress: '1 Main St' } });
    await answer('GET', '/settings/subscribe-form', { path: '/settings/subscribe-form?language=es' });
    await answer('GET', '/setup/checklist');
  });

  it('bulletins: one, the list, versions, checks, a copy', async () => {
    const bulletin = await answer('POST', '/bulletins', { json: exampleBulletin() });
    const path = `/bulletins/${bulletin.id}`;
    const saved = await answer('PUT', '/bulletins/:id', { path, json: { ...bulletin.document, title: 'Second' } });
    await answer('GET', '/bulletins/:id', { path });
    await answer('GET', '/bulletins');
    await answer('GET', '/bulletins/:id/versions', { path: `${path}/versions` });
    await answer('GET', '/bulletins/:id/versions/:versionId', { path: `${path}/versions/${saved.versionId}` });
    await answer('POST', '/bulletins/:id/duplicate', { path: `${path}/duplicate` });
    await answer('PUT', '/bulletins/:id/languages/:language/ready', { path: `${path}/languages/es/ready` });
    await answer('DELETE', '/bulletins/:id/languages/:language/ready', { path: `${path}/languages/es/ready` });
    await answer('GET', '/bulletins/:id/translations', { path: `${path}/translations` });
    // Presence: the token is there when the session asks, so the answer has someone in it.
    await answer('PUT', '/bulletins/:id/presence', { path: `${path}/presence`, json: { editing: true } });
    const present = await answer('PUT', '/bulletins/:id/presence', {
      path: `${path}/presence`,
      json: {},
      session: true,
    });
    expect(present.data).toHaveLength(1);
    // Findings that name a field and a language.
    const untranslated = { ...bulletin.document, subject: { en: 'News', es: '' } };
    const draft = await answer('POST', '/bulletins', { json: untranslated });
    const checks = await answer('GET', '/bulletins/:id/checks', { path: `/bulletins/${draft.id}/checks` });
    expect(checks.findings.length).toBeGreaterThan(0);
  });

  it('the library: blocks and templates, saved by a session and by a token', async () => {
    const block = { type: 'text', body: { en: 'Who we are' } };
    const saved = await answer('POST', '/blocks', { session: true, json: { name: 'About us', block } });
    await answer('POST', '/blocks', { json: { name: 'Divider', block: { type: 'divider' } } });
    const path = `/blocks/${saved.id}`;
    await answer('GET', '/blocks');
    await answer('GET', '/blocks/:id', { path });
    await answer('PATCH', '/blocks/:id', { path, json: { name: 'About the network' } });
    const template = await answer('POST', '/templates', { json: { name: 'Weekly', document: exampleBulletin() } });
    await answer('GET', '/templates');
    await answer('GET', '/templates/:id', { path: `/templates/${template.id}` });
    await answer('PATCH', '/templates/:id', { path: `/templates/${template.id}`, json: { name: 'Weekly bulletin' } });
  });

  it('the media library: an upload by a session, the list', async () => {
    const form = new FormData();
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'square.jpg');
    const item = await answer('POST', '/media', { session: true, body: form as unknown as string });
    const { items } = await answer('GET', '/media');
    expect(items.map((i: { id: number }) => i.id)).toEqual([item.id]);
  });

  it('staff, tokens, who is asking, the session', async () => {
    const bea = await answer('POST', '/staff', {
      json: { email: 'bea@example.org', password: STAFF_PASSWORD, role: 'editor' },
    });
    await answer('PATCH', '/staff/:id', { path: `/staff/${bea.id}`, json: { role: 'admin' } });
    // Ana has signed in (lastSignInAt), Bea has not.
    const staff = await answer('GET', '/staff');
    expect(staff.data.map((member: { lastSignInAt?: string }) => member.lastSignInAt !== undefined)).toEqual([
      true,
      false,
    ]);
    await answer('POST', '/tokens', { json: { name: 'CRM sync', role: 'editor' } });
    await answer('GET', '/tokens');
    await answer('GET', '/me');
    await answer('GET', '/me', { session: true });
    await answer('PUT', '/me/test-addresses', { session: true, json: { addresses: ['ana+test@example.org'] } });

    const session = await app.request('GET', '/api/session', { token: null, headers: admin.headers() });
    expect(session.status).toBe(200);
    expect(contractProblems(SessionAnswer, await session.json())).toEqual([]);
  });

  it('campaigns: sends, a test send, the list, a report, a comparison, reschedule, pause, cancel', async () => {
    const bulletinId = await sendableBulletin(app);
    const bulletin = `/bulletins/${bulletinId}`;
    await importAudience(app, 6, 'c', 'contract.org');
    // One address SES refuses the first time: the report has an error, and retry-failed a row to requeue.
    ses.script = (to, attempt) => (to === 'c1@contract.org' && attempt === 0 ? 'reject' : 'accept');
    const rule = { emailDomain: 'contract.org' };
    const first = await answer('POST', '/bulletins/:id/send', { path: `${bulletin}/send`, json: { rule } });
    const path = `/campaigns/${first.id}`;
    const report = await answer('GET', '/campaigns/:id', { path });
    const done = await waitForCampaign(app, first.id, ['sent']);
    expect(done.lastErrors).toHaveLength(1);
    // Sent, with counts by language, an error, links and outcomes.
    await answer('GET', '/campaigns/:id', { path });
    expect(report.id).toBe(first.id);
    const retry = await answer('POST', '/campaigns/:id/retry-failed', { path: `${path}/retry-failed`, json: {} });
    expect(retry.requeued).toBe(1);
    await waitForCampaign(app, first.id, ['sent']);
    await answer('POST', '/bulletins/:id/test', { path: `${bulletin}/test`, json: { to: ['ana+test@example.org'] } });

    // A second send, later: compared with the first, rescheduled, cancelled.
    const later = await answer('POST', '/bulletins/:id/send', {
      path: `${bulletin}/send`,
      json: {
        rule,
        resend: true,
        tracking: 'off',
        priority: 'urgent',
        scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const comparison = await answer('GET', '/campaigns/:id/comparison', { path: `/campaigns/${later.id}/comparison` });
    expect(comparison.previous.map((c: { id: number }) => c.id)).toEqual([first.id]);
    await answer('PATCH', '/campaigns/:id', {
      path: `/campaigns/${later.id}`,
      json: { scheduledAt: new Date(Date.now() + 7_200_000).toISOString() },
    });
    await answer('POST', '/campaigns/:id/cancel', { path: `/campaigns/${later.id}/cancel` });
    await answer('GET', '/campaigns');

    // Pausing and resuming: a campaign row written as sending, with nothing left to send.
    const sending = await insertCampaign(
      app.db,
      { id: bulletinId, versionId: first.bulletinVersionId },
      { state: 'sending', finished_at: null },
    );
    const paused = await answer('POST', '/campaigns/:id/pause', { path: `/campaigns/${sending}/pause` });
    expect(paused.stateReason).toEqual(expect.any(String));
    await answer('POST', '/campaigns/:id/resume', { path: `/campaigns/${sending}/resume` });

    // Sends over the approval threshold, asked for by the admin's session: the token approves one, declines one.
    await answer('PUT', '/settings', { json: { approvalThreshold: 1 } });
    const asked = () =>
      answer('POST', '/bulletins/:id/send', {
        path: `${bulletin}/send`,
        session: true,
        json: { rule, resend: true, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() },
      });
    const approved = await answer('POST', '/campaigns/:id/approve', {
      path: `/campaigns/${(await asked()).id}/approve`,
    });
    expect(approved.state).toBe('scheduled');
    await answer('POST', '/campaigns/:id/cancel', { path: `/campaigns/${approved.id}/cancel` });
    const declined = await answer('POST', '/campaigns/:id/decline', {
      path: `/campaigns/${(await asked()).id}/decline`,
      json: { comment: 'Not this week' },
    });
    expect(declined.state).toBe('declined');
    await answer('PUT', '/settings', { json: { approvalThreshold: null } });
  });

  it('webhooks', async () => {
    const created = await answer('POST', '/webhooks', {
      json: { url: 'http://127.0.0.1:9/hooks', description: 'CRM', events: ['subscriber.created'] },
    });
    const path = `/webhooks/${created.id}`;
    await answer('GET', '/webhooks');
    await answer('GET', '/webhooks/:id', { path });
    await answer('PATCH', '/webhooks/:id', { path, json: { events: ['subscriber.created', 'campaign.finished'] } });
    await answer('POST', '/webhooks/:id/test', { path: `${path}/test` });
    const log = await answer('GET', '/webhooks/:id/deliveries', { path: `${path}/deliveries` });
    expect(log.data).toEqual([
      expect.objectContaining({ type: 'webhook.test', messageId: expect.stringMatching(/^msg_/) }),
    ]);
    expect((await app.request('DELETE', `/api${path}`)).status).toBe(204);
  });

  it('the welcome mail: off, on (its campaign a report), off again', async () => {
    const bulletinId = await sendableBulletin(app);
    await answer('GET', '/welcome-mail');
    const on = await answer('PUT', '/welcome-mail', { json: { enabled: true, bulletinId } });
    await waitForCampaign(app, on.campaignId, ['sending']);
    await answer('GET', '/campaigns/:id', { path: `/campaigns/${on.campaignId}` });
    await answer('PUT', '/welcome-mail', { json: { enabled: false } });
  });

  it('the audit trail: every kind of entry the tests above recorded, a page at a time', async () => {
    const page = await answer('GET', '/audit', { path: '/audit?limit=200' });
    expect(page.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['signed_in', 'campaign_sent', 'campaign_paused', 'staff_created']),
    );
    await answer('GET', '/audit', { path: `/audit?limit=2&action=campaign_sent&staffId=${admin.staff.id}` });
  });

  it('leaves no JSON route unchecked, and every one declares its answer', () => {
    const json = routes.filter((r) => (r.status ?? 200) !== 204 && !r.responseContentType);
    expect(json.filter((r) => !r.response).map(keyOf)).toEqual([]);
    expect(json.filter((r) => !checked.has(keyOf(r))).map(keyOf)).toEqual([]);
  });
});
