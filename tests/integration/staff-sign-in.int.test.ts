// Staff sign-in from the browser through the real app: the session cookie, CSRF, sign-out, the
// ends of a session, the throttles on failed attempts, and the first-run setup.
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { session, sessionCookie, setSessionCookie, signIn, STAFF_PASSWORD } from '../helpers/sessions.js';

const HOUR = 3600_000;

describe.each(databaseKinds())('staff sign-in on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(kind);
    await app.stores.staff.createUser({ email: 'ana@example.org', password: STAFF_PASSWORD, role: 'admin' });
    await app.stores.staff.createUser({ email: 'eli@example.org', password: STAFF_PASSWORD, role: 'editor' });
  });
  afterAll(() => app.close());

  it('signs in with the right password: an httpOnly, SameSite=Lax, Secure session cookie, the CSRF token', async () => {
    const res = await app.request('POST', '/api/session', {
      token: null,
      json: { email: ' Ana@Example.org ', password: STAFF_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toEqual({
      staff: { id: expect.any(Number), email: 'ana@example.org', role: 'admin', testAddresses: [] },
      csrfToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    const cookie = setSessionCookie(res)!;
    expect(cookie).toMatch(/^pregon_session=[\w-]{43};/);
    const attributes = cookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().split('=')[0]!.toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path', 'httponly', 'samesite', 'secure', 'max-age']));
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).toMatch(/; SameSite=Lax(;|$)/);
    expect(cookie).toMatch(/; Max-Age=604800(;|$)/);

    const again = await app.request('GET', '/api/session', { token: null, headers: { cookie: sessionCookie(res)! } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
  });

  it('keeps only a hash of the session token in the database', async () => {
    const ana = await signIn(app, 'ana@example.org');
    const token = ana.cookie.split('=')[1]!;
    const rows = await app.db.database.db.selectFrom('staff_sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers a wrong password and an unknown email alike: 401, one message, no cookie', async () => {
    const wrongPassword = await app.request('POST', '/api/session', {
      token: null,
      json: { email: 'ana@example.org', password: 'not the password' },
    });
    const unknownEmail = await app.request('POST', '/api/session', {
      token: null,
      json: { email: 'nobody@example.org', password: STAFF_PASSWORD },
    });
    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.status).toBe(401);
      expect(setSessionCookie(res)).toBeUndefined();
    }
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()];
    expect(a).toEqual({ error: { code: 'unauthorized', message: 'Wrong email or password' } });
    expect(b).toEqual(a);
  });

  it('refuses a sign-in that is not JSON, as a cross-site form would send it', async () => {
    const res = await app.request('POST', '/api/session', {
      token: null,
      body: `email=ana%40example.org&password=${encodeURIComponent(STAFF_PASSWORD)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues).toEqual([
      { path: 'headers.content-type', message: 'must be application/json' },
    ]);
    expect(setSessionCookie(res)).toBeUndefined();
  });

  it('lets a session into /api with the staff member’s role, as a token would', async () => {
    const eli = await signIn(app, 'eli@example.org');
    expect((await app.request('GET', '/api/topics', { token: null, headers: eli.headers() })).status).toBe(200);
    const write = await app.request('POST', '/api/topics', {
      token: null,
      headers: eli.headers(),
      json: { key: 'eli-topic', name: { en: 'X' } },
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error.message).toBe('This needs the admin role');
    const me = await app.request('GET', '/api/me', { token: null, headers: eli.headers() });
    expect(await me.json()).toEqual({ id: eli.staff.id, email: 'eli@example.org', role: 'editor', testAddresses: [] });
  });

  it('refuses a change without the CSRF token, or with a wrong one, with 403, and nothing changes', async () => {
    const ana = await signIn(app, 'ana@example.org');
    const topic = { key: 'csrf-topic', name: { en: 'CSRF' } };
    const other = await signIn(app, 'eli@example.org');
    for (const headers of [
      ana.headers({ csrf: false }),
      { ...ana.headers(), 'x-csrf-token': 'x'.repeat(43) },
      { ...ana.headers(), 'x-csrf-token': other.csrfToken },
    ]) {
      const res = await app.request('POST', '/api/topics', { token: null, headers, json: topic });
      expect(res.status).toBe(403);
      const { error } = await res.json();
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/CSRF token is missing or wrong/);
    }
    expect((await app.request('GET', '/api/topics/csrf-topic')).status).toBe(404);
    // reads need no CSRF token; with it, the change is made
    expect(
      (await app.request('GET', '/api/topics', { token: null, headers: ana.headers({ csrf: false }) })).status,
    ).toBe(200);
    expect(
      (await app.request('POST', '/api/topics', { token: null, headers: ana.headers(), json: topic })).status,
    ).toBe(201);
  });

  it('needs no CSRF token with an API token, and the token wins over a cookie', async () => {
    const eli = await signIn(app, 'eli@example.org');
    const res = await app.request('POST', '/api/topics', {
      headers: { cookie: eli.cookie },
      json: { key: 'token-topic', name: { en: 'T' } },
    });
    expect(res.status).toBe(201); // the admin token's role, not the editor's session
  });

  it('signs out: DELETE /api/session needs the CSRF token, clears the cookie and ends the session', async () => {
    const ana = await signIn(app, 'ana@example.org');
    expect(
      (await app.request('DELETE', '/api/session', { token: null, headers: ana.headers({ csrf: false }) })).status,
    ).toBe(403);
    expect((await app.request('GET', '/api/session', { token: null, headers: ana.headers() })).status).toBe(200);

    const out = await app.request('DELETE', '/api/session', { token: null, headers: ana.headers() });
    expect(out.status).toBe(204);
    expect(setSessionCookie(out)).toMatch(/^pregon_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await app.request('GET', '/api/session', { token: null, headers: ana.headers() });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({
      error: { code: 'unauthorized', message: 'Not signed in' },
      setupRequired: false,
    });
    const api = await app.request('GET', '/api/topics', { token: null, headers: ana.headers() });
    expect(api.status).toBe(401);
    expect((await api.json()).error.message).toMatch(/session has ended/);
    // signing out twice does no harm
    expect((await app.request('DELETE', '/api/session', { token: null, headers: ana.headers() })).status).toBe(204);
  });

  it('ends a session after 12 hours unused, and 7 days after sign-in however busy', async () => {
    const idle = await signIn(app, 'ana@example.org');
    const busy = await signIn(app, 'ana@example.org');
    const { db } = app.db.database;
    const hashOf = (s: typeof idle) => createHash('sha256').update(s.cookie.split('=')[1]!).digest('hex');
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await db
      .updateTable('staff_sessions')
      .set({ last_seen_at: ago(12 * HOUR + 60_000) })
      .where('id_hash', '=', hashOf(idle))
      .execute();
    await db
      .updateTable('staff_sessions')
      .set({ created_at: ago(7 * 24 * HOUR), last_seen_at: ago(60_000), expires_at: ago(1000) })
      .where('id_hash', '=', hashOf(busy))
      .execute();
    for (const ended of [idle, busy]) {
      expect((await app.request('GET', '/api/topics', { token: null, headers: ended.headers() })).status).toBe(401);
    }
    expect(
      await db
        .selectFrom('staff_sessions')
        .select('id_hash')
        .where('id_hash', 'in', [hashOf(idle), hashOf(busy)])
        .execute(),
    ).toEqual([]);
  });

  it('notes when a session was last used at most once a minute', async () => {
    const ana = await signIn(app, 'ana@example.org');
    const { db } = app.db.database;
    const idHash = createHash('sha256').update(ana.cookie.split('=')[1]!).digest('hex');
    const read = async () =>
      (
        await db
          .selectFrom('staff_sessions')
          .select('last_seen_at')
          .where('id_hash', '=', idHash)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    const first = await read();
    await app.request('GET', '/api/topics', { token: null, headers: ana.headers() });
    expect(await read()).toBe(first);
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await db.updateTable('staff_sessions').set({ last_seen_at: twoMinutesAgo }).where('id_hash', '=', idHash).execute();
    await app.request('GET', '/api/topics', { token: null, headers: ana.headers() });
    expect(Date.parse(await read())).toBeGreaterThan(Date.parse(twoMinutesAgo) + 60_000);
  });

  it('refuses a cookie that is no session, and a session whose person was deleted', async () => {
    const fake = session(`pregon_session=${'A'.repeat(43)}`, 'x', {
      id: 0,
      email: '',
      role: 'admin',
      testAddresses: [],
    });
    expect((await app.request('GET', '/api/topics', { token: null, headers: fake.headers() })).status).toBe(401);
    await app.stores.staff.createUser({ email: 'gone@example.org', password: STAFF_PASSWORD, role: 'editor' });
    const gone = await signIn(app, 'gone@example.org');
    await app.stores.staff.deleteUser(gone.staff.id);
    expect((await app.request('GET', '/api/session', { token: null, headers: gone.headers() })).status).toBe(401);
  });
});

describe.each(databaseKinds())('throttling failed sign-ins on %s', (kind) => {
  let perEmail: TestApp;
  let perIp: TestApp;
  beforeAll(async () => {
    [perEmail, perIp] = await Promise.all([
      startTestApp(kind, { signInLimits: { failuresPerEmail: 3, failuresPerIp: 1000 } }),
      startTestApp(kind, { signInLimits: { failuresPerEmail: 1000, failuresPerIp: 3 }, setupCode: 'ABCD-EFGH' }),
    ]);
    for (const app of [perEmail, perIp]) {
      await app.stores.staff.createUser({ email: 'ana@example.org', password: STAFF_PASSWORD, role: 'editor' });
    }
  });
  afterAll(() => Promise.all([perEmail.close(), perIp.close()]));

  const attempt = (app: TestApp, email: string, password: string) =>
    app.request('POST', '/api/session', { token: null, json: { email, password } });

  it('answers 429 after too many failures for one email, counting failures only', async () => {
    expect((await attempt(perEmail, 'ana@example.org', 'wrong password 1')).status).toBe(401);
    expect((await attempt(perEmail, 'ana@example.org', 'wrong password 2')).status).toBe(401);
    expect((await attempt(perEmail, 'ana@example.org', STAFF_PASSWORD)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // the limiter takes a success back once the answer is sent
    expect((await attempt(perEmail, 'ANA@example.org', 'wrong password 3')).status).toBe(401);

    const limited = await attempt(perEmail, 'ana@example.org', 'wrong password 4');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/Too many failed attempts/) },
    });
    // now even the right password waits; another address does not
    expect((await attempt(perEmail, 'ana@example.org', STAFF_PASSWORD)).status).toBe(429);
    expect((await attempt(perEmail, 'someone@example.org', 'anything at all')).status).toBe(401);
  });

  it('answers 429 after too many failures from one IP address, for sign-in and setup alike', async () => {
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
      expect((await attempt(perIp, email, 'wrong password')).status).toBe(401);
    }
    expect((await attempt(perIp, 'd@example.org', 'wrong password')).status).toBe(429);
    expect((await attempt(perIp, 'ana@example.org', STAFF_PASSWORD)).status).toBe(429);
    const setup = await perIp.request('POST', '/api/setup', {
      token: null,
      json: { code: 'ABCD-EFGH', email: 'x@example.org', password: STAFF_PASSWORD },
    });
    expect(setup.status).toBe(429);
    expect(await perIp.stores.staff.countAdmins()).toBe(0);
  });
});

/** A sign-in as a browser at `ip` makes it, through a proxy Pregón trusts (loopback, by default). */
function signInFrom(app: TestApp, ip: string, password: string, device = '') {
  return app.request('POST', '/api/session', {
    token: null,
    json: { email: 'ana@example.org', password },
    headers: { 'x-forwarded-for': ip, ...(device ? { cookie: device } : {}) },
  });
}

/** "pregon_device=…" as the browser sends it back to the sign-in path. */
function deviceCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pregon_device='));
  expect(cookie).toMatch(/; Path=\/api\/session; .*HttpOnly/);
  return cookie!.split(';')[0]!;
}

describe.each(databaseKinds())('wrong passwords for one address from many networks on %s', (kind) => {
  let defaults: TestApp;
  let low: TestApp;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    [defaults, low] = await Promise.all([
      startTestApp(kind),
      startTestApp(kind, {
        signInLimits: { failuresPerEmailAndIp: 3, failuresPerEmail: 6 },
        logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
      }),
    ]);
    for (const app of [defaults, low]) {
      await app.stores.staff.createUser({ email: 'ana@example.org', password: STAFF_PASSWORD, role: 'admin' });
    }
  });
  afterAll(() => Promise.all([defaults.close(), low.close()]));

  it('ten wrong passwords from ten IPs keep no one out, and the owner is told of them at sign-in', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await signInFrom(defaults, `203.0.113.${i}`, `wrong password ${i}`)).status).toBe(401);
    }
    const res = await signInFrom(defaults, '198.51.100.1', STAFF_PASSWORD);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.failedSignIns).toBe(10);
    // told once: the next sign-in, and the session, say nothing of them
    const next = await signInFrom(defaults, '198.51.100.1', STAFF_PASSWORD);
    expect((await next.json()).failedSignIns).toBeUndefined();
    const current = await defaults.request('GET', '/api/session', {
      token: null,
      headers: { cookie: sessionCookie(next)! },
    });
    expect((await current.json()).failedSignIns).toBeUndefined();
  });

  it('limits one address from one IP far below the ceiling for the address from anywhere', async () => {
    const known = deviceCookie(await signInFrom(low, '192.0.2.1', STAFF_PASSWORD));
    for (let i = 1; i <= 3; i++) expect((await signInFrom(low, '203.0.113.1', `wrong ${i} password`)).status).toBe(401);
    // that IP now waits for this address, even with the right password and a known browser
    expect((await signInFrom(low, '203.0.113.1', STAFF_PASSWORD)).status).toBe(429);
    expect((await signInFrom(low, '203.0.113.1', STAFF_PASSWORD, known)).status).toBe(429);
    // others do not: three more failures from three more IPs bring the address to its ceiling
    for (let i = 2; i <= 4; i++) expect((await signInFrom(low, `203.0.113.${i}`, 'wrong password')).status).toBe(401);
    const stranger = await signInFrom(low, '198.51.100.7', STAFF_PASSWORD);
    expect(stranger.status).toBe(429);
    expect((await stranger.json()).error.code).toBe('rate_limited');

    // The browser that signed in before still gets in, from anywhere, and hears of the failures.
    const res = await signInFrom(low, '198.51.100.8', STAFF_PASSWORD, known);
    expect(res.status).toBe(200);
    expect((await res.json()).failedSignIns).toBe(6);
    // A device cookie is for its own address only, and a forged one is no device.
    const forged = known.replace(/\.[\w-]{22}$/, `.${'A'.repeat(22)}`);
    expect(forged).not.toBe(known);
    expect((await signInFrom(low, '198.51.100.9', STAFF_PASSWORD, forged)).status).toBe(429);
    const other = await low.request('POST', '/api/session', {
      token: null,
      json: { email: 'bo@example.org', password: 'wrong password' },
      headers: { 'x-forwarded-for': '198.51.100.9', cookie: known },
    });
    expect(other.status).toBe(401);

    // The logs said so, without the address.
    expect(logged.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ceiling/), 'Signed in after wrong passwords']),
    );
    expect(logged.find((line) => line.msg === 'Signed in after wrong passwords')).toMatchObject({ failedSignIns: 6 });
    expect(JSON.stringify(logged)).not.toContain('ana@example.org');
  });
});

describe('TRUST_PROXY decides whose X-Forwarded-For counts', () => {
  const limits = { failuresPerEmailAndIp: 3, failuresPerEmail: 1000, failuresPerIp: 1000 };
  const fromForwarded = async (app: TestApp, forwardedFor: (i: number) => string) => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await signInFrom(app, forwardedFor(i), 'wrong password')).status);
    return statuses;
  };

  it('with 0, believes no proxy: every client behind the loopback one shares its bucket', async () => {
    const app = await startTestApp('sqlite', { signInLimits: limits, env: { TRUST_PROXY: '0' } });
    try {
      await app.stores.staff.createUser({ email: 'ana@example.org', password: STAFF_PASSWORD, role: 'admin' });
      expect(await fromForwarded(app, (i) => `203.0.113.${i}`)).toEqual([401, 401, 401, 429]);
    } finally {
      await app.close();
    }
  });

  it('with 2, believes the loopback proxy and the one before it, and counts each client apart', async () => {
    const app = await startTestApp('sqlite', { signInLimits: limits, env: { TRUST_PROXY: '2' } });
    try {
      await app.stores.staff.createUser({ email: 'ana@example.org', password: STAFF_PASSWORD, role: 'admin' });
      expect(await fromForwarded(app, (i) => `203.0.113.${i}, 10.0.0.1`)).toEqual([401, 401, 401, 401]);
      // an address the client wrote in front of its own changes nothing
      expect(await fromForwarded(app, (i) => `198.51.100.${i}, 203.0.113.9, 10.0.0.1`)).toEqual([401, 401, 401, 429]);
    } finally {
      await app.close();
    }
  });
});

describe.each(databaseKinds())('first-run setup on %s', (kind) => {
  let app: TestApp;
  let noCode: TestApp;
  beforeAll(async () => {
    [app, noCode] = await Promise.all([startTestApp(kind, { setupCode: 'ABCD-EFGH' }), startTestApp(kind)]);
  });
  afterAll(() => Promise.all([app.close(), noCode.close()]));

  const setup = (target: TestApp, code: string, email = 'first@example.org') =>
    target.request('POST', '/api/setup', { token: null, json: { code, email, password: STAFF_PASSWORD } });

  it('says setup is required while no admin exists', async () => {
    expect(await (await app.request('GET', '/api/setup', { token: null })).json()).toEqual({ required: true });
    const res = await app.request('GET', '/api/session', { token: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'unauthorized', message: 'Not signed in' },
      setupRequired: true,
    });
  });

  it('refuses a wrong code with 403 naming the code, and a short password with 400', async () => {
    const res = await setup(app, 'ABCD-EFGX');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'The setup code is wrong',
        issues: [{ path: 'code', message: expect.any(String) }],
      },
    });
    const short = await app.request('POST', '/api/setup', {
      token: null,
      json: { code: 'ABCD-EFGH', email: 'first@example.org', password: 'short' },
    });
    expect(short.status).toBe(400);
    expect((await short.json()).error.issues).toEqual([
      { path: 'password', message: 'must be at least 12 characters' },
    ]);
    const blank = await app.request('POST', '/api/setup', {
      token: null,
      json: { code: 'ABCD-EFGH', email: 'first@example.org', password: ' '.repeat(12) },
    });
    expect(blank.status).toBe(400);
    expect((await blank.json()).error.issues).toEqual([{ path: 'password', message: 'must not be only spaces' }]);
    expect(await app.stores.staff.countAdmins()).toBe(0);
  });

  it('refuses setup when the process has no code', async () => {
    expect((await setup(noCode, 'ABCD-EFGH')).status).toBe(403);
  });

  it('creates the first admin with the right code (any case, with or without the dash) and signs them in', async () => {
    const res = await setup(app, ' abcdefgh ');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      staff: { id: expect.any(Number), email: 'first@example.org', role: 'admin', testAddresses: [] },
      csrfToken: expect.any(String),
    });
    const first = session(sessionCookie(res)!, body.csrfToken, body.staff);
    expect((await app.request('GET', '/api/staff', { token: null, headers: first.headers() })).status).toBe(200);
    expect(await (await app.request('GET', '/api/setup', { token: null })).json()).toEqual({ required: false });
    expect((await (await app.request('GET', '/api/session', { token: null })).json()).setupRequired).toBe(false);
  });

  it('refuses a second setup with 409, and the code works only once', async () => {
    const again = await setup(app, 'ABCD-EFGH', 'second@example.org');
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');
    // Even with no admin left, the used code opens nothing.
    await app.db.database.db.deleteFrom('staff_users').execute();
    expect((await setup(app, 'ABCD-EFGH', 'second@example.org')).status).toBe(403);
  });
});
