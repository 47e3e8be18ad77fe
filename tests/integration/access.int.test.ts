// Who may reach what. Every route the app serves is found by walking express's own router, so a
// route added later is covered without touching this file: staff routes refuse a stranger, a bad
// or revoked credential, the wrong role, and a session's change without its CSRF token; the routes
// open to anyone are exactly an allow-list; every answer carries helmet's headers. Then: the public
// pages tell no one about anyone else, sessions rotate at sign-in, the subscribe form is
// throttled as wired in the app, and no secret or address reaches the logs.
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/app.js';
import { SubscriberInput } from '../../src/audience/schemas.js';
import { roleAtLeast, type StaffRole } from '../../src/db/schema.js';
import { STAFF_APP_DIR } from '../../src/http/staff-web-app.js';
import { processImage } from '../../src/media/image-processing.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { fillPath, routeKey as key, walkRoutes, type WalkedRoute } from '../helpers/routes.js';
import { sessionCookie, signIn, STAFF_PASSWORD, type StaffSession } from '../helpers/sessions.js';
import { databaseSnapshot } from '../helpers/snapshot.js';
import { SnsSigner, TEST_TOPIC_ARN, sesMessage } from '../support/sns-signer.js';

const WALK_IMAGE = { width: 32, height: 32, channels: 3, background: '#b3261e' } as const;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const QUEUE_BOARD = '/admin/queues';

/**
 * The only routes anyone may call without signing in, with what a stranger gets from each (link
 * tokens and ids are made up). Adding a public route means adding it here, on purpose.
 */
const PUBLIC: Record<string, number> = {
  'GET /healthz': 200,
  'GET /c/:token': 404,
  'GET /unsubscribe/:token': 400,
  'POST /unsubscribe/:token': 400,
  'GET /preferences/:token': 400,
  'POST /preferences/:token': 400,
  'GET /archive': 200,
  'GET /archive/feed.xml': 200,
  'GET /archive/feed.atom': 200,
  'GET /archive/:slug': 404,
  'GET /subscribe': 200,
  'POST /subscribe': 400,
  'GET /confirm/:token': 400,
  'POST /confirm/:token': 400,
  'POST /confirm/:token/resend': 400,
  'POST /webhooks/ses': 400,
  // The media library's images, for mail clients and the archive (a made-up name is none).
  'GET /media/:name': 404,
  'GET /api/openapi.json': 200,
  'GET /api/schemas/bulletin.json': 200,
  'GET /api/schemas/webhook-events.json': 200,
  // "Not signed in" (with setupRequired): what the sign-in screen asks first.
  'GET /api/session': 401,
  'POST /api/session': 400,
  'DELETE /api/session': 204,
  'GET /api/setup': 200,
  'POST /api/setup': 400,
  'GET /': 302,
  // The web app's shell (503 when it is not built); its data comes from /api.
  'GET /admin': existsSync(`${STAFF_APP_DIR}/index.html`) ? 200 : 503,
  'GET /admin/{*path}': existsSync(`${STAFF_APP_DIR}/index.html`) ? 200 : 503,
};

/**
 * The least role each API route needs (writer < editor < admin), decided route by route and
 * described in docs/staff-app.md ("Roles"). A writer composes, previews and tests; what touches
 * subscribers, sends, deletions of shared work and settings is an editor's or an admin's. The
 * send route lets a writer in: the send policy refuses their send itself (src/sending/send-policy.ts).
 */
const LEAST_ROLE: Record<string, StaffRole> = {
  'GET /api/topics': 'writer',
  'POST /api/topics': 'admin',
  'GET /api/topics/:key': 'writer',
  'PATCH /api/topics/:key': 'admin',
  'DELETE /api/topics/:key': 'admin',
  'GET /api/subscribers': 'editor',
  'POST /api/subscribers': 'editor',
  'POST /api/subscribers/import': 'editor',
  'POST /api/subscribers/tags': 'editor',
  'GET /api/subscribers/export': 'admin',
  'GET /api/subscribers/:id': 'editor',
  'PATCH /api/subscribers/:id': 'editor',
  'POST /api/subscribers/:id/confirmation': 'editor',
  'DELETE /api/subscribers/:id': 'admin',
  'POST /api/audience/preview': 'editor',
  'GET /api/segments': 'writer',
  'POST /api/segments': 'editor',
  'GET /api/segments/:id': 'writer',
  'PATCH /api/segments/:id': 'editor',
  'DELETE /api/segments/:id': 'editor',
  'GET /api/suppressions': 'editor',
  'POST /api/suppressions': 'editor',
  'DELETE /api/suppressions/:hash': 'admin',
  'GET /api/settings': 'writer',
  'PUT /api/settings': 'admin',
  'GET /api/welcome-mail': 'writer',
  'PUT /api/welcome-mail': 'admin',
  'GET /api/settings/subscribe-form': 'admin',
  'GET /api/setup/checklist': 'writer',
  'GET /api/bulletins': 'writer',
  'POST /api/bulletins': 'writer',
  'GET /api/bulletins/:id': 'writer',
  'PUT /api/bulletins/:id': 'writer',
  'DELETE /api/bulletins/:id': 'editor',
  'GET /api/bulletins/:id/versions': 'writer',
  'GET /api/bulletins/:id/versions/:versionId': 'writer',
  'POST /api/bulletins/:id/duplicate': 'writer',
  'GET /api/bulletins/:id/preview': 'writer',
  'GET /api/bulletins/:id/checks': 'writer',
  'GET /api/bulletins/:id/translations': 'writer',
  'PUT /api/bulletins/:id/languages/:language/ready': 'writer',
  'DELETE /api/bulletins/:id/languages/:language/ready': 'writer',
  'POST /api/bulletins/:id/translations/still-correct': 'writer',
  'PUT /api/bulletins/:id/presence': 'writer',
  'DELETE /api/bulletins/:id/presence': 'writer',
  'GET /api/audit': 'admin',
  'GET /api/blocks': 'writer',
  'POST /api/blocks': 'writer',
  'GET /api/blocks/:id': 'writer',
  'PATCH /api/blocks/:id': 'writer',
  'DELETE /api/blocks/:id': 'editor',
  'GET /api/templates': 'writer',
  'POST /api/templates': 'writer',
  'GET /api/templates/:id': 'writer',
  'PATCH /api/templates/:id': 'writer',
  'DELETE /api/templates/:id': 'editor',
  'POST /api/media': 'writer',
  'GET /api/media': 'writer',
  'DELETE /api/media/:id': 'editor',
  'GET /api/webhooks': 'admin',
  'POST /api/webhooks': 'admin',
  'GET /api/webhooks/:id': 'admin',
  'PATCH /api/webhooks/:id': 'admin',
  'DELETE /api/webhooks/:id': 'admin',
  'GET /api/webhooks/:id/deliveries': 'admin',
  'POST /api/webhooks/:id/test': 'admin',
  'POST /api/bulletins/:id/send': 'writer',
  'POST /api/bulletins/:id/test': 'writer',
  'GET /api/campaigns': 'writer',
  'GET /api/campaigns/:id': 'editor',
  'GET /api/campaigns/:id/comparison': 'editor',
  'PATCH /api/campaigns/:id': 'editor',
  'POST /api/campaigns/:id/pause': 'editor',
  'POST /api/campaigns/:id/resume': 'editor',
  'POST /api/campaigns/:id/cancel': 'editor',
  'POST /api/campaigns/:id/approve': 'editor',
  'POST /api/campaigns/:id/decline': 'editor',
  'POST /api/campaigns/:id/retry-failed': 'editor',
  'GET /api/campaigns/:id/events': 'editor',
  'GET /api/staff': 'admin',
  'POST /api/staff': 'admin',
  'PATCH /api/staff/:id': 'admin',
  'DELETE /api/staff/:id': 'admin',
  'GET /api/tokens': 'admin',
  'POST /api/tokens': 'admin',
  'DELETE /api/tokens/:id': 'admin',
  'GET /api/me': 'writer',
  'PUT /api/me/test-addresses': 'writer',
};

describe.each(databaseKinds())('access to every route on %s', (kind) => {
  let app: TestApp;
  let routes: WalkedRoute[];
  /** Values for path parameters: existing rows, so a request let through would change something. */
  const values: Record<string, string> = {
    token: 'not-a-token',
    slug: '999999',
    path: 'bulletins',
    queueName: 'deliveries',
    jobId: '1',
    queueStatus: 'failed',
    schedulerId: 'none',
  };
  let admin: StaffSession;
  let editor: StaffSession;
  let writer: StaffSession;
  let writerToken: string;

  const fill = (path: string) => fillPath(path, values);

  const call = (route: WalkedRoute, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${fill(route.path)}`, {
      method: route.method,
      redirect: 'manual',
      headers: WRITES.has(route.method) ? { 'content-type': 'application/json', ...headers } : headers,
      body: WRITES.has(route.method) ? '{}' : undefined,
    });

  /** Whether the answer is the refusal of someone not signed in: 401, or the dashboard's way to the sign-in page. */
  const refusedAsStranger = async (route: WalkedRoute, res: Response): Promise<boolean> => {
    if (route.path.startsWith(QUEUE_BOARD) && route.method === 'GET' && !route.path.startsWith(`${QUEUE_BOARD}/api/`)) {
      await res.body?.cancel();
      return res.status === 302 && res.headers.get('location')!.startsWith('/admin/signin?next=');
    }
    if (res.status !== 401) {
      await res.body?.cancel();
      return false;
    }
    const body = (await res.json()) as { error?: { code?: string }; setupRequired?: boolean };
    return body.error?.code === 'unauthorized' && body.setupRequired === undefined;
  };

  const isPublic = (route: WalkedRoute) => key(route) in PUBLIC;
  const staffRoutes = () => routes.filter((route) => !isPublic(route));

  beforeAll(async () => {
    app = await startTestApp(kind);
    routes = walkRoutes(app.express);
    const { stores } = app;
    const topic = await stores.topics.create({ key: 'walk-topic', name: { en: 'Walk' }, public: true });
    values['topics/key'] = topic.key;
    values['subscribers/id'] = String(
      (await stores.subscribers.create(SubscriberInput.parse({ email: 'walk@example.org', status: 'active' }), 'api'))
        .id,
    );
    const bulletin = await stores.bulletins.create(exampleBulletin());
    values['bulletins/id'] = String(bulletin.id);
    values['versions/versionId'] = String(bulletin.versionId);
    values['segments/id'] = String(
      (await (await app.request('POST', '/api/segments', { json: { name: 'Walk', rule: { tag: 'walk' } } })).json()).id,
    );
    await app.suppressions.add('erased@example.org', 'erased');
    values['suppressions/hash'] = app.suppressions.hash('erased@example.org');
    const author = { kind: 'staff', name: 'walk@example.org' } as const;
    values['blocks/id'] = String((await stores.library.create('block', 'Walk', { type: 'divider' }, author)).id);
    values['templates/id'] = String((await stores.library.create('template', 'Walk', exampleBulletin(), author)).id);
    const image = await processImage(await sharp({ create: WALK_IMAGE }).png().toBuffer(), { width: 600 });
    values['media/id'] = String((await stores.media.add(image, 'walk.png', author)).item.id);
    values['campaigns/id'] = String(await insertCampaign(app.db, bulletin, { state: 'paused', finished_at: null }));
    admin = await signIn(app, 'walk-admin@example.org', 'admin');
    editor = await signIn(app, 'walk-editor@example.org', 'editor');
    writer = await signIn(app, 'walk-writer@example.org', 'writer');
    writerToken = (await stores.staff.createToken({ name: 'walk-writer', role: 'writer' })).token;
    values['staff/id'] = String(editor.staff.id);
    values['tokens/id'] = String((await stores.staff.createToken({ name: 'spare', role: 'editor' })).id);
  });
  afterAll(() => app?.close());

  it('finds every route the app serves, every declared API route among them, and nothing else under /api', () => {
    // Today about 130: the API, the public pages, the web app and the queue dashboard.
    expect(routes.length).toBeGreaterThan(100);
    expect(new Set(routes.map(key)).size).toBe(routes.length);
    const walked = new Set(routes.map(key));
    const declared = apiRoutes(app).map((spec) => `${spec.method.toUpperCase()} /api${spec.path}`);
    expect(declared.length).toBeGreaterThan(50);
    expect(declared.filter((route) => !walked.has(route))).toEqual([]);
    // Anything under /api that is not public went through defineRoute, and so through its role check.
    const undeclared = routes.filter(
      (route) => route.path.startsWith('/api/') && !isPublic(route) && !declared.includes(key(route)),
    );
    expect(undeclared.map(key)).toEqual([]);
    expect(routes.filter((route) => route.path.startsWith(`${QUEUE_BOARD}/`)).length).toBeGreaterThan(10);
  });

  it('refuses a stranger on every route but the public ones, which are exactly the allow-list', async () => {
    const before = await databaseSnapshot(app.db);
    const open: Record<string, number> = {};
    for (const route of routes) {
      const res = await call(route);
      if (await refusedAsStranger(route, res)) continue;
      open[key(route)] = res.status;
    }
    expect(open).toEqual(PUBLIC);
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('refuses bad, unknown, tampered, revoked tokens and ended or made-up sessions on every staff route', async () => {
    const revoked = await app.stores.staff.createToken({ name: 'revoked', role: 'admin' });
    await app.stores.staff.deleteToken(revoked.id);
    const flipped = app.adminToken[30] === 'A' ? 'B' : 'A';
    const tampered = `${app.adminToken.slice(0, 30)}${flipped}${app.adminToken.slice(31)}`;
    const ended = await signIn(app, 'walk-ended@example.org', 'admin');
    expect((await app.request('DELETE', '/api/session', { token: null, headers: ended.headers() })).status).toBe(204);
    const credentials: Record<string, Record<string, string>> = {
      nonsense: { authorization: 'Bearer nonsense' },
      unknown: { authorization: `Bearer pgn_${'0'.repeat(16)}_${'x'.repeat(43)}` },
      tampered: { authorization: `Bearer ${tampered}` },
      revoked: { authorization: `Bearer ${revoked.token}` },
      basic: { authorization: `Basic ${Buffer.from(`walk-admin@example.org:${STAFF_PASSWORD}`).toString('base64')}` },
      'ended session': ended.headers(),
      'made-up session': { cookie: `pregon_session=${'A'.repeat(43)}`, 'x-csrf-token': 'x' },
    };
    const before = await databaseSnapshot(app.db);
    const letIn: string[] = [];
    for (const route of staffRoutes()) {
      for (const [name, headers] of Object.entries(credentials)) {
        if (!(await refusedAsStranger(route, await call(route, headers)))) letIn.push(`${key(route)} with ${name}`);
      }
    }
    expect(letIn).toEqual([]);
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('answers 403 to any change from a session without its CSRF token or with another’s; nothing changes', async () => {
    const writes = routes.filter(
      (route) => WRITES.has(route.method) && route.path.startsWith('/api/') && !isPublic(route),
    );
    writes.push({ method: 'DELETE', path: '/api/session' });
    expect(writes.length).toBeGreaterThan(30);
    const board = routes.filter((route) => WRITES.has(route.method) && route.path.startsWith(QUEUE_BOARD));
    const before = await databaseSnapshot(app.db);
    const letThrough: string[] = [];
    for (const route of writes) {
      for (const [name, headers] of [
        ['no CSRF token', admin.headers({ csrf: false })],
        ['another session’s', { ...admin.headers(), 'x-csrf-token': editor.csrfToken }],
      ] as const) {
        const res = await call(route, headers);
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        if (res.status !== 403 || !body.error?.message?.includes('CSRF'))
          letThrough.push(`${key(route)} with ${name}: ${res.status}`);
      }
    }
    // The dashboard's own API is guarded by the origin its page sends.
    for (const route of board) {
      const res = await call(route, {
        ...admin.headers(),
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      });
      await res.body?.cancel();
      if (res.status !== 403) letThrough.push(`${key(route)} from another site: ${res.status}`);
    }
    expect(letThrough).toEqual([]);
    expect(await databaseSnapshot(app.db)).toEqual(before);
    expect((await app.request('GET', '/api/session', { token: null, headers: admin.headers() })).status).toBe(200);
  });

  it('gives every GET (public page, web app, API, dashboard) helmet’s security headers, signed in or not', async () => {
    const gets = routes.filter((route) => route.method === 'GET');
    const missing: string[] = [];
    const check = async (label: string, res: Response) => {
      await res.body?.cancel();
      const h = (name: string) => res.headers.get(name) ?? '';
      const csp = h('content-security-policy');
      const problems = [
        /(^|;)\s*default-src /.test(csp) ? '' : 'CSP without default-src',
        /(^|;)\s*frame-ancestors '(self|none)'/.test(csp) ? '' : 'CSP without frame-ancestors',
        /unsafe-eval/.test(csp) ? 'CSP allows eval' : '',
        /script-src[^;]*unsafe-inline/.test(csp) ? 'CSP allows inline scripts' : '',
        h('x-content-type-options') === 'nosniff' ? '' : 'no nosniff',
        h('referrer-policy') === 'no-referrer' ? '' : `Referrer-Policy ${h('referrer-policy')}`,
        /^max-age=\d{8,}; includeSubDomains$/.test(h('strict-transport-security')) ? '' : 'no HSTS',
        ['SAMEORIGIN', 'DENY'].includes(h('x-frame-options')) ? '' : 'no X-Frame-Options',
      ].filter(Boolean);
      if (problems.length) missing.push(`${label} (${res.status}): ${problems.join(', ')}`);
    };
    for (const route of gets) {
      await check(`${route.path} as a stranger`, await call(route));
      if (isPublic(route)) continue;
      const headers = route.path.startsWith(QUEUE_BOARD)
        ? admin.headers()
        : { authorization: `Bearer ${app.adminToken}` };
      await check(`${route.path} signed in`, await call(route, headers));
    }
    await check('an unknown path', await fetch(`${app.baseUrl}/nothing-here`));
    expect(missing).toEqual([]);
  });

  it('declares for each API route the least role in the table above', () => {
    const declared = Object.fromEntries(
      apiRoutes(app).map((spec) => [`${spec.method.toUpperCase()} /api${spec.path}`, spec.role]),
    );
    expect(declared).toEqual(LEAST_ROLE);
  });

  // Last among the walks: a writer's or an editor's request let through may change something.
  it.each(['writer', 'editor'] as const)(
    'answers the %s role, by token or by session, 403 exactly on the routes above it and the queue dashboard',
    async (role) => {
      const credentials = {
        token: { authorization: `Bearer ${role === 'writer' ? writerToken : app.editorToken}` },
        session: (role === 'writer' ? writer : editor).headers(),
      };
      const api = apiRoutes(app).map((spec) => ({ method: spec.method.toUpperCase(), path: `/api${spec.path}` }));
      expect(api.filter((route) => !roleAtLeast(role, LEAST_ROLE[key(route)]!)).length).toBeGreaterThan(10);
      const wrong: string[] = [];
      // The routes refused first, so nothing has changed while they are tried.
      const refusedFirst = [...api].sort(
        (a, b) => Number(roleAtLeast(role, LEAST_ROLE[key(a)]!)) - Number(roleAtLeast(role, LEAST_ROLE[key(b)]!)),
      );
      const before = await databaseSnapshot(app.db);
      let refusalsDone = false;
      for (const route of refusedFirst) {
        const allowed = roleAtLeast(role, LEAST_ROLE[key(route)]!);
        if (allowed && !refusalsDone) {
          // Nothing a refused request reached changed anything.
          expect(await databaseSnapshot(app.db)).toEqual(before);
          refusalsDone = true;
        }
        for (const [name, headers] of Object.entries(credentials)) {
          const res = await call(route, headers);
          // Not every answer is JSON: the campaign's events stream until the campaign is over.
          const json = res.headers.get('content-type')?.includes('application/json');
          const body = (json ? await res.json() : await res.body?.cancel()) as
            | { error?: { code?: string } }
            | undefined;
          const refused = res.status === 403 && body?.error?.code === 'forbidden';
          if (refused === allowed || res.status >= 500) wrong.push(`${key(route)} by ${name}: ${res.status}`);
        }
      }
      for (const route of routes.filter((r) => r.path.startsWith(QUEUE_BOARD))) {
        const res = await call(route, credentials.session);
        await res.body?.cancel();
        if (res.status !== 403) wrong.push(`${key(route)} by session: ${res.status}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  describe('sessions', () => {
    const signInWith = (headers: Record<string, string> = {}) =>
      app.request('POST', '/api/session', {
        token: null,
        json: { email: 'rotating@example.org', password: STAFF_PASSWORD },
        headers,
      });
    const alive = async (cookie: string) =>
      (await app.request('GET', '/api/session', { token: null, headers: { cookie } })).status === 200;

    beforeAll(async () => {
      await app.stores.staff.createUser({ email: 'rotating@example.org', password: STAFF_PASSWORD, role: 'editor' });
    });

    it('get a new cookie at each sign-in; the one held before, even if planted by another, opens nothing', async () => {
      const first = sessionCookie(await signInWith())!;
      const second = sessionCookie(await signInWith({ cookie: first }))!;
      expect(second).not.toBe(first);
      expect(await alive(first)).toBe(false);
      expect(await alive(second)).toBe(true);

      // Session fixation: a value planted in the browser before sign-in is never the session.
      const planted = `pregon_session=${'P'.repeat(43)}`;
      const third = sessionCookie(await signInWith({ cookie: planted }))!;
      expect([planted, first, second]).not.toContain(third);
      expect(await alive(planted)).toBe(false);
      expect(await alive(third)).toBe(true);

      // Signing in elsewhere (without the cookie) starts another session, leaving this one be.
      const elsewhere = sessionCookie(await signInWith())!;
      expect([first, second, third]).not.toContain(elsewhere);
      expect(await alive(third)).toBe(true);
    });

    it('end at sign-out, with their CSRF token, and the next sign-in is another session again', async () => {
      const res = await signInWith();
      const cookie = sessionCookie(res)!;
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      expect(
        (await app.request('DELETE', '/api/session', { token: null, headers: { cookie, 'x-csrf-token': csrfToken } }))
          .status,
      ).toBe(204);
      expect(await alive(cookie)).toBe(false);
      const write = await app.request('POST', '/api/subscribers', {
        token: null,
        headers: { cookie, 'x-csrf-token': csrfToken },
        json: { email: 'late@example.org' },
      });
      expect(write.status).toBe(401);
      const next = await signInWith({ cookie });
      expect(sessionCookie(next)).not.toBe(cookie);
      expect(((await next.json()) as { csrfToken: string }).csrfToken).not.toBe(csrfToken);
    });
  });

  describe('the public pages', () => {
    const form = (fields: Record<string, string>, ip: string) =>
      fetch(`${app.baseUrl}/subscribe?lang=en`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
        body: new URLSearchParams(fields),
      });

    it('answer the subscribe form alike for an address new, suppressed or in any status', async () => {
      const { stores } = app;
      const create = async (email: string, status: 'active' | 'pending') =>
        (await stores.subscribers.create(SubscriberInput.parse({ email, status }), 'api')).id;
      await create('pending@example.org', 'pending');
      await create('active@example.org', 'active');
      await stores.supporters.unsubscribe(
        (await stores.supporters.subscriber(await create('left@example.org', 'active')))!,
        null,
      );
      for (const status of ['bounced', 'complained'] as const) {
        await app.db.database.db
          .updateTable('subscribers')
          .set({ status })
          .where('id', '=', await create(`${status}@example.org`, 'active'))
          .execute();
      }
      await app.suppressions.add('suppressed@example.org', 'complained');
      const addresses = [
        'new@example.org',
        'pending@example.org',
        'active@example.org',
        'left@example.org',
        'bounced@example.org',
        'complained@example.org',
        'suppressed@example.org',
      ];
      const answers = new Map<string, string>();
      for (const email of addresses) {
        const res = await form({ email, language: 'en', topics: 'walk-topic' }, '203.0.113.20');
        expect(res.status, email).toBe(200);
        answers.set(email, await res.text());
      }
      expect(new Set(answers.values()).size).toBe(1);
      const page = answers.get('new@example.org')!;
      expect(page).toContain('<h1>Check your email</h1>');
      for (const email of addresses) expect(page).not.toContain(email.split('@')[0]);
      for (const status of ['bounced', 'complained'] as const) {
        expect(
          (
            await app.db.database.db
              .selectFrom('subscribers')
              .select('status')
              .where('email', '=', `${status}@example.org`)
              .executeTakeFirstOrThrow()
          ).status,
        ).toBe(status);
      }
    });

    it('show on one reader’s link nothing of another; a form cannot point the change at someone else', async () => {
      const { stores } = app;
      const ana = await stores.subscribers.create(
        SubscriberInput.parse({ email: 'ana@alpha.example', name: 'Ana Alfa', status: 'active' }),
        'api',
      );
      const cara = await stores.subscribers.create(
        SubscriberInput.parse({ email: 'cara@alpha.example', name: 'Cara Alfa', status: 'pending' }),
        'api',
      );
      const beto = await stores.subscribers.create(
        SubscriberInput.parse({
          email: 'beto@beta.example',
          name: 'Beto Beta',
          status: 'active',
          topics: ['walk-topic'],
          attributes: { city: 'Betaville' },
        }),
        'api',
      );
      const betoRow = () =>
        app.db.database.db.selectFrom('subscribers').selectAll().where('id', '=', beto.id).executeTakeFirstOrThrow();
      const betoEvents = () =>
        app.db.database.db.selectFrom('consent_events').selectAll().where('subscriber_id', '=', beto.id).execute();
      const betoBefore = { row: await betoRow(), events: await betoEvents() };

      const links = [
        `/preferences/${stores.signer.sign('preferences', String(ana.id))}`,
        `/unsubscribe/${stores.signer.sign('unsubscribe', `${ana.id}:0`)}`,
        `/confirm/${stores.signer.sign('confirm', `${cara.id}:${Math.floor(Date.now() / 1000) + 3600}`)}`,
      ];
      for (const link of links) {
        for (const lang of ['en', 'es']) {
          const res = await fetch(`${app.baseUrl}${link}?lang=${lang}`);
          expect(res.status, link).toBe(200);
          const html = await res.text();
          expect(html).toMatch(/[ac]•••@alpha\.example/);
          for (const secret of ['beta.example', 'Beto', 'Betaville', 'ana@alpha.example', 'cara@alpha.example', 'Alfa'])
            expect(html, `${link} ${secret}`).not.toContain(secret);
        }
      }
      // Fields naming someone else are not read: the token alone says whose choices these are.
      const save = await fetch(`${app.baseUrl}${links[0]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          language: 'es',
          pause: '30',
          id: String(beto.id),
          subscriber: String(beto.id),
          email: 'beto@beta.example',
        }),
      });
      expect(save.status).toBe(200);
      expect(await save.text()).not.toContain('beta.example');
      expect((await stores.supporters.subscriber(ana.id))!.language).toBe('es');
      expect({ row: await betoRow(), events: await betoEvents() }).toEqual(betoBefore);
    });

    // The archive shows nothing personal: tests/integration/archive.int.test.ts ("with no tracking
    // and nothing personal"), and sending.int.test.ts for the mail's "view in browser" link.

    it('throttle subscribe posts per IP address as the app wires the form (10 in 15 minutes)', async () => {
      // Staff sign-in throttles are proven through this same app in staff-sign-in.int.test.ts;
      // subscribe.int.test.ts proves the form's limits on the router alone.
      const bot = { email: 'bot@example.org', language: 'en', website: 'https://spam.example' };
      for (let i = 0; i < 10; i++) expect((await form(bot, '203.0.113.30')).status).toBe(200);
      const refused = await form(bot, '203.0.113.30');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Too many attempts');
      expect((await form(bot, '203.0.113.31')).status).toBe(200);
    });
  });
});

describe.each(databaseKinds())('what the logs hold on %s', (kind) => {
  let app: TestApp;
  let sns: SnsSigner;
  const lines: string[] = [];

  beforeAll(async () => {
    sns = new SnsSigner();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await startTestApp(kind, {
      logger: pino({ level: 'trace' }, sink),
      // Its confirmation job records the form's request, and logs the mail that cannot go.
      worker: true,
      fetchCertificate: sns.fetchCertificate,
      env: { SNS_TOPIC_ARNS: TEST_TOPIC_ARN },
    });
  });
  afterAll(() => app?.close());

  it('never hold a password, API token, session cookie, CSRF token, APP_SECRET, signed link or address', async () => {
    const { stores } = app;
    const secrets: Record<string, string> = {
      APP_SECRET: TEST_SECRET,
      'admin token': app.adminToken,
      'admin token secret': app.adminToken.split('_').slice(2).join('_'),
    };
    const addresses = ['lucia@reader.example', 'mateo@reader.example', 'new.reader@reader.example'];

    // Staff: a failed and a good sign-in, changes with the CSRF token, an API token made, used and revoked.
    await stores.staff.createUser({ email: 'logged@example.org', password: STAFF_PASSWORD, role: 'admin' });
    secrets.password = STAFF_PASSWORD;
    await app.request('POST', '/api/session', {
      token: null,
      json: { email: 'logged@example.org', password: 'the wrong passphrase' },
    });
    secrets['wrong password'] = 'the wrong passphrase';
    const staff = await signIn(app, 'logged@example.org');
    secrets['session cookie'] = staff.cookie.split('=')[1]!;
    secrets['CSRF token'] = staff.csrfToken;
    await app.request('POST', '/api/topics', {
      token: null,
      headers: staff.headers(),
      json: { key: 'logged', name: { en: 'Logged' }, public: true },
    });
    await app.request('POST', '/api/topics', {
      token: null,
      headers: staff.headers({ csrf: false }),
      json: { key: 'refused', name: { en: 'Refused' } },
    });
    const made = await (
      await app.request('POST', '/api/tokens', {
        token: null,
        headers: staff.headers(),
        json: { name: 'script', role: 'editor' },
      })
    ).json();
    secrets['new API token'] = made.token;
    secrets['new API token secret'] = made.token.split('_').slice(2).join('_');
    const ids: number[] = [];
    for (const email of addresses.slice(0, 2)) {
      const res = await app.request('POST', '/api/subscribers', {
        token: made.token,
        json: { email, name: 'Reader', status: 'active', topics: ['logged'] },
      });
      ids.push((await res.json()).id);
    }
    await app.request('GET', `/api/subscribers?email=${encodeURIComponent(addresses[0]!)}`, { token: made.token });
    await app.request('DELETE', `/api/tokens/${made.id}`, { token: null, headers: staff.headers() });
    await app.request('GET', '/api/topics', { token: made.token });

    // Readers: the subscribe form, and every signed link, asked and acted on.
    await fetch(`${app.baseUrl}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: addresses[2]!, language: 'en', topics: 'logged' }),
    });
    const recorded = () =>
      app.db.database.db.selectFrom('subscribers').select('id').where('email', '=', addresses[2]!).executeTakeFirst();
    for (let i = 0; i < 200 && !(await recorded()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const pending = (await recorded())!;
    const bulletin = await stores.bulletins.create(exampleBulletin());
    const campaignId = await insertCampaign(app.db, bulletin);
    const link = await app.db.database.db
      .insertInto('campaign_links')
      .values({ campaign_id: campaignId, block: 0, url: 'https://example.net/petition' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const tokens = {
      unsubscribe: stores.signer.sign('unsubscribe', `${ids[0]}:${campaignId}`),
      preferences: stores.signer.sign('preferences', String(ids[1])),
      confirm: stores.signer.sign('confirm', `${pending.id}:${Math.floor(Date.now() / 1000) + 3600}`),
      click: stores.signer.sign('click', String(link.id)),
    };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await fetch(`${app.baseUrl}/unsubscribe/${tokens.unsubscribe}`);
    await fetch(`${app.baseUrl}/unsubscribe/${tokens.unsubscribe}`, {
      method: 'POST',
      headers: form,
      body: 'List-Unsubscribe=One-Click',
    });
    await fetch(`${app.baseUrl}/preferences/${tokens.preferences}?lang=es`);
    await fetch(`${app.baseUrl}/preferences/${tokens.preferences}`, {
      method: 'POST',
      headers: form,
      body: 'language=es&topics=logged',
    });
    await fetch(`${app.baseUrl}/confirm/${tokens.confirm}`);
    await fetch(`${app.baseUrl}/confirm/${tokens.confirm}`, { method: 'POST', headers: form, body: '' });
    await fetch(`${app.baseUrl}/confirm/${tokens.confirm}/resend`, { method: 'POST', headers: form, body: '' });
    const click = await fetch(`${app.baseUrl}/c/${tokens.click}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    await fetch(`${app.baseUrl}/preferences/${tokens.preferences.slice(0, -2)}xx`);
    for (const [purpose, token] of Object.entries(tokens)) {
      secrets[`${purpose} link`] = token;
      secrets[`${purpose} link signature`] = token.split('.')[1]!;
    }

    // SES events: a bounce and a complaint applied, a duplicate, a forgery and an unknown topic refused.
    const post = (message: unknown) =>
      fetch(`${app.baseUrl}/webhooks/ses`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(message),
      });
    const bounce = sns.notification(sesMessage.bounce([addresses[0]!], 'Permanent', 'ses-message-1'));
    expect((await post(bounce)).status).toBe(200);
    expect((await post(bounce)).status).toBe(200);
    expect((await post(sns.notification(sesMessage.complaint([addresses[1]!], 'ses-message-2')))).status).toBe(200);
    expect(
      (await post(new SnsSigner().notification(sesMessage.bounce([addresses[1]!], 'Permanent', 'ses-message-3'))))
        .status,
    ).toBe(403);
    expect(
      (
        await post(
          sns.notification(sesMessage.bounce([addresses[1]!], 'Permanent', 'm'), {
            topicArn: 'arn:aws:sns:us-east-1:1:other',
          }),
        )
      ).status,
    ).toBe(403);

    // The answers are sent before their request line is written, and the confirmation mail by the
    // worker: a last request, then a wait for its line, lets every earlier line arrive.
    await fetch(`${app.baseUrl}/archive?marker=last`);
    for (let i = 0; i < 200 && !lines.some((line) => line.includes('"/archive"')); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < 1000 && !lines.some((line) => line.includes('confirmation mail failed')); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const text = lines.join('');

    // The logs did see all of it, so their silence about the secrets means something.
    for (const seen of [
      '/api/session',
      '/api/tokens',
      '/unsubscribe/[token]',
      '/preferences/[token]',
      '/confirm/[token]/resend',
      '/c/[token]',
      '/webhooks/ses',
      'SES event applied',
      'bad signature',
      'confirmation mail failed',
    ]) {
      expect(text, seen).toContain(seen);
    }
    const found = Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => name);
    expect(found).toEqual([]);
    const leaked = addresses.filter(
      (email) => text.toLowerCase().includes(email) || text.includes(encodeURIComponent(email)),
    );
    expect(leaked).toEqual([]);
    expect(text).not.toContain('logged@example.org');
  });
});
