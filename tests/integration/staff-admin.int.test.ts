// What admins manage from the web app — staff accounts, API tokens, the queue dashboard — and the
// test addresses each person keeps, through the real app with real sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, STAFF_PASSWORD, type StaffSession } from '../helpers/sessions.js';

describe.each(databaseKinds())('staff accounts, tokens and test addresses on %s', (kind) => {
  let app: TestApp;
  let admin: StaffSession;
  beforeAll(async () => {
    app = await startTestApp(kind);
    admin = await signIn(app, 'ana@example.org', 'admin');
  });
  afterAll(() => app.close());

  const as = (who: StaffSession) => ({ token: null, headers: who.headers() });

  it('creates, lists, changes and deletes staff accounts', async () => {
    const created = await app.request('POST', '/api/staff', {
      ...as(admin),
      json: { email: 'Bea@Example.org', password: STAFF_PASSWORD, role: 'editor' },
    });
    expect(created.status).toBe(201);
    const bea = await created.json();
    expect(bea).toEqual({
      id: expect.any(Number),
      email: 'bea@example.org',
      role: 'editor',
      createdAt: expect.any(String),
    });

    const duplicate = await app.request('POST', '/api/staff', {
      ...as(admin),
      json: { email: 'bea@example.org', password: STAFF_PASSWORD, role: 'admin' },
    });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).error.code).toBe('conflict');
    const short = await app.request('POST', '/api/staff', {
      ...as(admin),
      json: { email: 'cy@example.org', password: 'short', role: 'editor' },
    });
    expect(short.status).toBe(400);
    expect((await short.json()).error.issues).toEqual([
      { path: 'password', message: 'must be at least 12 characters' },
    ]);

    const list = await (await app.request('GET', '/api/staff', as(admin))).json();
    expect(list.data).toEqual([
      {
        id: admin.staff.id,
        email: 'ana@example.org',
        role: 'admin',
        createdAt: expect.any(String),
        lastSignInAt: expect.any(String),
      },
      bea, // never signed in: no lastSignInAt
    ]);

    const promoted = await app.request('PATCH', `/api/staff/${bea.id}`, { ...as(admin), json: { role: 'admin' } });
    expect(await promoted.json()).toEqual({ ...bea, role: 'admin' });
    expect((await app.request('DELETE', `/api/staff/${bea.id}`, as(admin))).status).toBe(204);
    expect((await app.request('DELETE', `/api/staff/${bea.id}`, as(admin))).status).toBe(404);
    expect(
      (await app.request('PATCH', `/api/staff/${bea.id}`, { ...as(admin), json: { role: 'editor' } })).status,
    ).toBe(404);
  });

  it('refuses blank, repetitive and common passwords wherever a password is set, naming the field', async () => {
    const weak = { spaces: ' '.repeat(12), repeated: 'a'.repeat(12), common: 'Password 2024!' };
    const messages = {
      spaces: 'must not be only spaces',
      repeated: 'must use at least 5 different characters',
      common: 'is too common: choose a passphrase of a few words of your own',
    };
    const before = await (await app.request('GET', '/api/staff', as(admin))).json();
    const editor = before.data.find((m: { email: string }) => m.email !== 'ana@example.org') ?? admin.staff;
    for (const [kind, password] of Object.entries(weak)) {
      const issues = [{ path: 'password', message: messages[kind as keyof typeof weak] }];
      const created = await app.request('POST', '/api/staff', {
        ...as(admin),
        json: { email: `${kind}@example.org`, password, role: 'editor' },
      });
      expect(created.status, kind).toBe(400);
      expect((await created.json()).error.issues).toEqual(issues);
      const changed = await app.request('PATCH', `/api/staff/${editor.id}`, { ...as(admin), json: { password } });
      expect(changed.status, kind).toBe(400);
      expect((await changed.json()).error.issues).toEqual(issues);
    }
    // nothing changed: no account made, and the old password still signs in
    expect(await (await app.request('GET', '/api/staff', as(admin))).json()).toEqual(before);
    expect((await signIn(app, 'ana@example.org')).staff.id).toBe(admin.staff.id);
  });

  it('keeps staff administration to admins', async () => {
    const editor = await signIn(app, 'ed@example.org', 'editor');
    expect((await app.request('GET', '/api/staff', as(editor))).status).toBe(403);
    expect((await app.request('GET', '/api/staff', { token: app.editorToken })).status).toBe(403);
    expect(
      (
        await app.request('POST', '/api/staff', {
          ...as(editor),
          json: { email: 'x@example.org', password: STAFF_PASSWORD, role: 'admin' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await app.request('PATCH', `/api/staff/${editor.staff.id}`, { ...as(editor), json: { role: 'admin' } })).status,
    ).toBe(403);
  });

  it('a new password ends that person’s sessions, and only the other ones of whoever changes their own', async () => {
    const fay = await signIn(app, 'fay@example.org', 'editor');
    const res = await app.request('PATCH', `/api/staff/${fay.staff.id}`, {
      ...as(admin),
      json: { password: 'a brand new passphrase' },
    });
    expect(res.status).toBe(200);
    expect((await app.request('GET', '/api/session', as(fay))).status).toBe(401);
    expect((await signIn(app, 'fay@example.org', 'editor', 'a brand new passphrase')).staff.id).toBe(fay.staff.id);

    const otherDevice = await signIn(app, 'ana@example.org');
    const own = await app.request('PATCH', `/api/staff/${admin.staff.id}`, {
      ...as(admin),
      json: { password: STAFF_PASSWORD },
    });
    expect(own.status).toBe(200);
    expect((await app.request('GET', '/api/session', as(admin))).status).toBe(200);
    expect((await app.request('GET', '/api/session', as(otherDevice))).status).toBe(401);
  });

  it('deleting an account ends its sessions at once; nobody deletes their own', async () => {
    const gil = await signIn(app, 'gil@example.org', 'admin');
    expect((await app.request('GET', '/api/topics', as(gil))).status).toBe(200);
    const self = await app.request('DELETE', `/api/staff/${gil.staff.id}`, as(gil));
    expect(self.status).toBe(409);
    expect((await self.json()).error.message).toMatch(/own account/);
    expect((await app.request('DELETE', `/api/staff/${gil.staff.id}`, as(admin))).status).toBe(204);
    expect((await app.request('GET', '/api/topics', as(gil))).status).toBe(401);
  });

  it('never demotes or deletes the last admin', async () => {
    const admins = (await (await app.request('GET', '/api/staff')).json()).data.filter(
      (s: { role: string }) => s.role === 'admin',
    );
    expect(admins.map((s: { email: string }) => s.email)).toEqual(['ana@example.org']);
    const demote = await app.request('PATCH', `/api/staff/${admin.staff.id}`, { json: { role: 'editor' } });
    expect(demote.status).toBe(409);
    expect((await demote.json()).error.message).toBe(
      'ana@example.org is the last admin: make another admin before you demote this account',
    );
    const toWriter = await app.request('PATCH', `/api/staff/${admin.staff.id}`, { json: { role: 'writer' } });
    expect(toWriter.status).toBe(409);
    const remove = await app.request('DELETE', `/api/staff/${admin.staff.id}`);
    expect(remove.status).toBe(409);
    expect((await remove.json()).error.message).toMatch(/last admin/);
    expect((await app.request('GET', '/api/session', as(admin))).status).toBe(200);

    // With a second admin, one of the two may go
    const hal = await signIn(app, 'hal@example.org', 'admin');
    const demoted = await app.request('PATCH', `/api/staff/${hal.staff.id}`, {
      ...as(admin),
      json: { role: 'editor' },
    });
    expect((await demoted.json()).role).toBe('editor');
    // the role counts at once, for a session already open
    expect((await app.request('GET', '/api/staff', as(hal))).status).toBe(403);
  });

  it('of two admins demoted at the same moment, one stays admin', async () => {
    const { staff } = app.stores;
    for (let round = 0; round < 5; round++) {
      const [kim, lou] = await Promise.all([
        staff.createUser({ email: `kim${round}@example.org`, password: STAFF_PASSWORD, role: 'admin' }),
        staff.createUser({ email: `lou${round}@example.org`, password: STAFF_PASSWORD, role: 'admin' }),
      ]);
      await staff.updateUser(admin.staff.id, { role: 'editor' });
      const results = await Promise.allSettled([
        staff.updateUser(kim.id, { role: 'editor' }),
        staff.updateUser(lou.id, { role: 'editor' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await staff.countAdmins()).toBe(1);
      await staff.updateUser(admin.staff.id, { role: 'admin' });
      await Promise.all([staff.deleteUser(kim.id), staff.deleteUser(lou.id)]);
    }
  });

  it('creates an API token shown once, lists tokens without secrets, and revokes one at once', async () => {
    const created = await app.request('POST', '/api/tokens', {
      ...as(admin),
      json: { name: 'newsletter sync', role: 'editor' },
    });
    expect(created.status).toBe(201);
    const token = await created.json();
    expect(token).toEqual({
      id: expect.any(Number),
      name: 'newsletter sync',
      role: 'editor',
      expiresAt: null,
      token: expect.stringMatching(/^pgn_/),
    });
    expect((await app.request('GET', '/api/topics', { token: token.token })).status).toBe(200);

    const list = await (await app.request('GET', '/api/tokens', as(admin))).json();
    expect(list.data).toContainEqual({
      id: token.id,
      name: 'newsletter sync',
      role: 'editor',
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      createdBy: 'ana@example.org',
      expiresAt: null,
    });
    // made outside a session (here, as the CLI does): no owner
    expect(list.data.find((t: { name: string }) => t.name === 'admin')).toEqual(
      expect.objectContaining({ role: 'admin', createdBy: null }),
    );
    for (const t of list.data) {
      expect(Object.keys(t).sort()).toEqual([
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'role',
      ]);
    }
    // the secret is base64url, which may itself hold an underscore: everything after the lookup
    expect(JSON.stringify(list)).not.toContain(/^pgn_[0-9a-f]{16}_(.+)$/.exec(token.token)![1]);

    expect((await app.request('GET', '/api/tokens', { token: token.token })).status).toBe(403);
    expect((await app.request('DELETE', `/api/tokens/${token.id}`, as(admin))).status).toBe(204);
    const revoked = await app.request('GET', '/api/topics', { token: token.token });
    expect(revoked.status).toBe(401);
    expect((await app.request('DELETE', `/api/tokens/${token.id}`, as(admin))).status).toBe(404);
    const badRole = await app.request('POST', '/api/tokens', { ...as(admin), json: { name: 'x', role: 'owner' } });
    expect(badRole.status).toBe(400);
    expect((await badRole.json()).error.issues[0].path).toBe('role');
  });

  it('makes a token that stops working when it expires, and refuses an expiry in the past', async () => {
    const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString().replace('Z', '+00:00');
    const created = await app.request('POST', '/api/tokens', {
      ...as(admin),
      json: { name: 'one day', role: 'editor', expiresAt },
    });
    expect(created.status).toBe(201);
    const token = await created.json();
    expect(token.expiresAt).toBe(new Date(expiresAt).toISOString());
    const listed = (await (await app.request('GET', '/api/tokens', as(admin))).json()).data;
    expect(listed.find((t: { id: number }) => t.id === token.id).expiresAt).toBe(token.expiresAt);
    expect((await app.request('GET', '/api/topics', { token: token.token })).status).toBe(200);

    await app.db.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', token.id)
      .execute();
    const expired = await app.request('GET', '/api/topics', { token: token.token });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toBe('Unknown, revoked or expired API token');

    for (const [at, message] of [
      ['2020-01-01T00:00:00Z', 'must be in the future'],
      ['tomorrow', 'must be a date and time such as 2027-01-31T00:00:00Z'],
    ]) {
      const refused = await app.request('POST', '/api/tokens', {
        ...as(admin),
        json: { name: 'never', role: 'editor', expiresAt: at },
      });
      expect(refused.status, at).toBe(400);
      expect((await refused.json()).error.issues).toEqual([{ path: 'expiresAt', message }]);
    }
    expect(listed.length).toBe((await (await app.request('GET', '/api/tokens', as(admin))).json()).data.length);
  });

  it('keeps each person’s test addresses, for sessions only', async () => {
    const jo = await signIn(app, 'jo@example.org', 'editor');
    const put = (json: unknown, options = as(jo)) => app.request('PUT', '/api/me/test-addresses', { ...options, json });
    const saved = await put({ addresses: ['Jo@Example.org', 'jo.phone@example.org', 'jo@example.org'] });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ testAddresses: ['jo@example.org', 'jo.phone@example.org'] });
    expect((await (await app.request('GET', '/api/me', as(jo))).json()).testAddresses).toEqual([
      'jo@example.org',
      'jo.phone@example.org',
    ]);
    expect((await (await app.request('GET', '/api/session', as(jo))).json()).staff.testAddresses).toEqual([
      'jo@example.org',
      'jo.phone@example.org',
    ]);
    // another person's are their own
    expect((await (await app.request('GET', '/api/me', as(admin))).json()).testAddresses).toEqual([]);

    const tooMany = await put({ addresses: Array.from({ length: 11 }, (_, i) => `t${i}@example.org`) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.issues[0].path).toBe('addresses');
    const notAnEmail = await put({ addresses: ['ok@example.org', 'nope'] });
    expect((await notAnEmail.json()).error.issues).toEqual([
      { path: 'addresses[1]', message: 'must be an email address' },
    ]);
    expect((await put({ addresses: [] }, { token: null, headers: jo.headers({ csrf: false }) })).status).toBe(403);
    const withToken = await app.request('PUT', '/api/me/test-addresses', { json: { addresses: [] } });
    expect(withToken.status).toBe(400);
    expect(await (await app.request('GET', '/api/me')).json()).toEqual({ kind: 'token', name: 'admin', role: 'admin' });
    expect((await (await app.request('GET', '/api/me', as(jo))).json()).testAddresses).toHaveLength(2);
  });

  it('describes the new routes in the OpenAPI document', async () => {
    const doc = await (await app.request('GET', '/api/openapi.json', { token: null })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/staff',
        '/api/staff/{id}',
        '/api/tokens',
        '/api/tokens/{id}',
        '/api/me',
        '/api/me/test-addresses',
      ]),
    );
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'pregon_session' });
  });
});

describe.each(databaseKinds())('the queue dashboard on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, { headers, redirect: 'manual' });

  it('sends a visitor without a session to sign in, and back', async () => {
    const res = await get('/admin/queues');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/signin?next=/admin/queues');
    // an API token is no way in: the dashboard is for people
    expect((await get('/admin/queues', { authorization: `Bearer ${app.adminToken}` })).status).toBe(302);
    expect((await get('/admin/queues/api/queues')).status).toBe(401);
  });

  it('refuses an editor with a 403 page', async () => {
    const editor = await signIn(app, 'ed@example.org', 'editor');
    const res = await get('/admin/queues', editor.headers());
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Only admins may see the queues');
  });

  it('shows an admin the board and its queues, with a CSP of its own that loads nothing from elsewhere', async () => {
    const admin = await signIn(app, 'ana@example.org', 'admin');
    const page = await get('/admin/queues', admin.headers());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https:|googleapis/);
    expect(page.headers.get('x-powered-by')).toBeNull();

    const script = /src="(static\/js\/main\.[^"]+)"/.exec(html)![1];
    expect((await get(`/admin/queues/${script}`, admin.headers())).status).toBe(200);
    const queues = await (await get('/admin/queues/api/queues', admin.headers())).json();
    expect(queues.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'campaigns',
      'confirmations',
      'deliveries',
      'webhooks',
    ]);
  });

  it('refuses a change to the queues from another site', async () => {
    const admin = await signIn(app, 'ana@example.org', 'admin');
    const res = await fetch(`${app.baseUrl}/admin/queues/api/queues/campaigns/pause`, {
      method: 'PUT',
      headers: { ...admin.headers(), origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await app.request('GET', '/healthz')).toBeTruthy();
    const same = await fetch(`${app.baseUrl}/admin/queues/api/queues/campaigns/pause`, {
      method: 'PUT',
      headers: { ...admin.headers(), origin: app.baseUrl },
    });
    expect(same.status).toBe(200);
  });
});
