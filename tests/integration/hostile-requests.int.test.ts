// Requests made to cost the server, or to catch what it leaks: compressed bodies (a kilobyte of
// gzip that inflates to a megabyte of [1,1,…]) are refused unread on the API and every public
// form; a request from no one gets its 401 before its body is read; sign-in reads small bodies
// only; a body of more values than any input holds is refused as such; answers reached by a
// signed link or about staff are never cached; and a signed link's token stays out of the logs
// however its path is spelled.
import { request as httpRequest, Agent } from 'node:http';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_VALUES } from '../../src/http/storable-input.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

/** The review's body: 1,020,000 bytes of JSON, about a kilobyte gzipped. */
const MEGABYTE_OF_ONES = JSON.stringify(Array(340_000).fill(1));
const GZIPPED_ONES = gzipSync(MEGABYTE_OF_ONES, { level: 9 });
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(databaseKinds())('hostile requests on %s', (kind) => {
  let app: TestApp;
  const lines: string[] = [];
  let subscriberId: number;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await startTestApp(kind, { logger: pino({ level: 'info' }, sink) });
    const created = await app.request('POST', '/api/subscribers', {
      json: { email: 'reader@example.org', name: 'Reader', status: 'active' },
    });
    subscriberId = ((await created.json()) as { id: number }).id;
  });
  afterAll(() => app?.close());

  const links = () => ({
    unsubscribe: app.stores.signer.sign('unsubscribe', `${subscriberId}:0`),
    preferences: app.stores.signer.sign('preferences', String(subscriberId)),
    confirm: app.stores.signer.sign('confirm', `${subscriberId}:${Math.floor(Date.now() / 1000) + 3600}`),
    click: app.stores.signer.sign('click', '1'),
  });

  /** A POST of raw bytes, as fetch sends them. */
  const post = (path: string, headers: Record<string, string>, body: Buffer | string) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('refuses a compressed body to the API with 415, before authentication and before inflating it', async () => {
    const before = await databaseSnapshot(app.db);
    const admin = { authorization: `Bearer ${app.adminToken}` };
    const valid = gzipSync(JSON.stringify({ key: 'zipped', name: { en: 'Zipped' } }));
    for (const [path, headers, body] of [
      ['/api/nothing', {}, GZIPPED_ONES],
      ['/api/session', {}, GZIPPED_ONES],
      ['/api/setup', {}, GZIPPED_ONES],
      ['/api/topics', admin, valid],
      // Not gzip at all: inflating it would have been a 400.
      ['/api/topics', admin, Buffer.from('not gzip')],
    ] as const) {
      const res = await post(path, { ...JSON_TYPE, ...headers, 'content-encoding': 'gzip' }, body);
      expect(res.status, path).toBe(415);
      expect(await res.json()).toEqual({
        error: {
          code: 'unsupported_media_type',
          message: 'Send the request body uncompressed',
          issues: [{ path: 'headers.content-encoding', message: 'must be absent or identity, not gzip' }],
        },
      });
    }
    const deflate = await post('/api/topics', { ...JSON_TYPE, ...admin, 'content-encoding': 'Deflate' }, 'x');
    expect(deflate.status).toBe(415);
    expect(await databaseSnapshot(app.db)).toEqual(before);
    const identity = await app.request('POST', '/api/topics', {
      headers: { 'content-encoding': 'identity' },
      json: { key: 'plain', name: { en: 'Plain' } },
    });
    expect(identity.status).toBe(201);
  });

  it('refuses a compressed body on the public forms and the SES webhook, and changes nothing', async () => {
    const before = await databaseSnapshot(app.db);
    const { unsubscribe, preferences, confirm } = links();
    for (const [path, headers, body] of [
      ['/subscribe', FORM_TYPE, gzipSync('email=zipped@example.org&language=en')],
      [`/unsubscribe/${unsubscribe}`, FORM_TYPE, gzipSync('List-Unsubscribe=One-Click')],
      [`/preferences/${preferences}`, FORM_TYPE, gzipSync('leave=yes')],
      [`/confirm/${confirm}`, FORM_TYPE, gzipSync('')],
      ['/webhooks/ses', { 'content-type': 'text/plain' }, GZIPPED_ONES],
    ] as const) {
      const res = await post(path, { ...headers, 'content-encoding': 'gzip' }, body);
      expect(res.status, path.split('/')[1]).toBe(415);
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('answers a request from no one with 401 before reading its body, and the connection goes on', async () => {
    // Not JSON, and over the megabyte: read, it would have been a 400 or a 413.
    const body = `{${'x'.repeat(2_000_000)}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const path of ['/api/topics', '/api/nothing']) {
        const refused = await rawRequest(agent, `${app.baseUrl}${path}`, 'POST', JSON_TYPE, body);
        expect(refused.status, path).toBe(401);
        expect(JSON.parse(refused.body).error.code).toBe('unauthorized');
      }
      // The same connection (one socket at most) carries the next request.
      const next = await rawRequest(agent, `${app.baseUrl}/healthz`, 'GET');
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('reads no more than a sign-in needs before authentication', async () => {
    const res = await app.request('POST', '/api/session', {
      token: null,
      json: { email: 'someone@example.org', password: 'x'.repeat(20_000) },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    const wrong = await app.request('POST', '/api/session', {
      token: null,
      json: { email: 'someone@example.org', password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses a signed-in body of more values than any input holds, naming why', async () => {
    const res = await app.request('POST', '/api/topics', { headers: JSON_TYPE, body: MEGABYTE_OF_ONES });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: `body holds more than ${MAX_JSON_VALUES.toLocaleString('en')} values`,
        issues: [{ path: 'body', message: `holds more than ${MAX_JSON_VALUES.toLocaleString('en')} values` }],
      },
    });
  });

  it('tells no cache to keep what a signed link or the API answers', async () => {
    const { unsubscribe, preferences, confirm } = links();
    for (const [path, token] of [
      [`/preferences/${preferences}`, null],
      [`/unsubscribe/${unsubscribe}`, null],
      [`/confirm/${confirm}`, null],
      ['/preferences/not-a-token', null],
      ['/api/topics', app.adminToken],
      ['/api/topics', null],
      ['/api/session', null],
    ] as const) {
      const res = await app.request('GET', path, { token });
      await res.arrayBuffer();
      expect(res.headers.get('cache-control'), `${path} ${res.status}`).toBe('no-store');
    }
  });

  it("keeps a signed link's token out of the log whatever the path's case or spelling, on every status", async () => {
    const { unsubscribe, preferences, confirm, click } = links();
    const paths = [
      `/Preferences/${preferences}`,
      `/UNSUBSCRIBE/${unsubscribe}`,
      `/C/${click}`,
      `//preferences/${preferences}`,
      `/%70references/${preferences}`,
      `/confirm%2F${confirm}`,
      `/Confirm/${confirm}/resend`,
    ];
    for (const path of paths) await (await fetch(`${app.baseUrl}${path}`, { redirect: 'manual' })).arrayBuffer();
    // A line is written once its answer is sent: a last request, and a wait for its line.
    await fetch(`${app.baseUrl}/archive?marker=last`);
    for (let i = 0; i < 500 && !lines.some((line) => line.includes('"/archive"')); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const text = lines.join('');
    for (const [purpose, token] of Object.entries({ unsubscribe, preferences, confirm, click })) {
      expect(text, purpose).not.toContain(token.split('.')[1]!);
    }
    // The logs did see each request.
    expect(text.match(/\[token\]/g)?.length ?? 0).toBeGreaterThanOrEqual(paths.length);
  });
});

/** One request through node:http on `agent`, so a test decides which connection carries it. */
function rawRequest(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', reject);
    });
    // The server may answer and drop the rest of a body it will not read: that is not the test's failure.
    req.on('error', reject);
    req.end(body);
  });
}
