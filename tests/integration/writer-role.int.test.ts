// What the writer role may do with a bulletin's mail: test copies to their own addresses only, no
// send to an audience without an editor's approval, by session and by token; and an admin makes writers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('the writer role on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;
  let writer: StaffSession;
  let writerToken: string;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url });
    bulletinId = await sendableBulletin(app);
    await importAudience(app, 3, 'w', 'writers.org');
    writer = await signIn(app, 'writer@nnirr.org', 'writer');
    writerToken = (await app.stores.staff.createToken({ name: 'drafts', role: 'writer' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  const asWriter = (method: string, path: string, json?: unknown) =>
    app.request(method, path, { token: null, headers: writer.headers(), json });

  it('sends test copies to their own addresses: the sign-in one and their test addresses', async () => {
    const saved = await asWriter('PUT', '/api/me/test-addresses', { addresses: ['phone@writers.org'] });
    expect(saved.status).toBe(200);
    const before = ses.received.length;
    const res = await asWriter('POST', `/api/bulletins/${bulletinId}/test`, {
      to: ['Writer@nnirr.org', 'phone@writers.org'],
      lang: 'en',
    });
    expect(res.status).toBe(200);
    expect(ses.received.slice(before).map((mail) => mail.to)).toEqual(['writer@nnirr.org', 'phone@writers.org']);
  });

  it('refuses a test copy to anyone else with 403 naming each other address, and sends none', async () => {
    const before = ses.received.length;
    const res = await asWriter('POST', `/api/bulletins/${bulletinId}/test`, {
      to: ['writer@nnirr.org', 'w0@writers.org', 'editor@nnirr.org'],
    });
    expect(res.status).toBe(403);
    const { error } = await res.json();
    expect(error.code).toBe('forbidden');
    expect(error.issues).toEqual([
      { path: 'to[1]', message: 'w0@writers.org is not one of your own addresses' },
      { path: 'to[2]', message: 'editor@nnirr.org is not one of your own addresses' },
    ]);
    expect(ses.received.length).toBe(before);
  });

  it('refuses a writer token any test copy: it has no addresses of its own', async () => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      token: writerToken,
      json: { to: ['writer@nnirr.org'] },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.issues).toEqual([
      { path: 'to', message: 'a writer token has no addresses of its own' },
    ]);
  });

  it('may only ask for a send to an audience, by session or token: it awaits an editor’s approval', async () => {
    const send = { rule: { emailDomain: 'writers.org' } };
    for (const res of [
      await asWriter('POST', `/api/bulletins/${bulletinId}/send`, send),
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        token: writerToken,
        json: { ...send, resend: true },
      }),
    ]) {
      expect(res.status).toBe(201);
      expect((await res.json()).state).toBe('awaiting_approval');
    }
    const { data } = await (await app.request('GET', '/api/campaigns')).json();
    expect(data.map((c: { state: string }) => c.state)).toEqual(['awaiting_approval', 'awaiting_approval']);
  });

  it('composes: creates, saves and duplicates a bulletin, with a writer token too', async () => {
    const { document } = await (await asWriter('GET', `/api/bulletins/${bulletinId}`)).json();
    const created = await asWriter('POST', '/api/bulletins', document);
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await asWriter('PUT', `/api/bulletins/${id}`, document)).status).toBe(200);
    const copy = await app.request('POST', `/api/bulletins/${id}/duplicate`, { token: writerToken, json: {} });
    expect(copy.status).toBe(201);
    const me = await app.request('GET', '/api/me', { token: writerToken });
    expect(await me.json()).toEqual({ kind: 'token', name: 'drafts', role: 'writer' });
  });

  it('is a role an admin gives to a staff account and a token, and takes back', async () => {
    const made = await app.request('POST', '/api/staff', {
      json: { email: 'new-writer@nnirr.org', password: 'a long enough passphrase', role: 'writer' },
    });
    expect(made.status).toBe(201);
    const { id } = await made.json();
    expect((await (await app.request('PATCH', `/api/staff/${id}`, { json: { role: 'editor' } })).json()).role).toBe(
      'editor',
    );
    expect((await (await app.request('PATCH', `/api/staff/${id}`, { json: { role: 'writer' } })).json()).role).toBe(
      'writer',
    );
    const token = await app.request('POST', '/api/tokens', { json: { name: 'a writer script', role: 'writer' } });
    expect(token.status).toBe(201);
    expect((await token.json()).role).toBe('writer');
    const unknown = await app.request('POST', '/api/tokens', { json: { name: 'x', role: 'owner' } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.issues[0].path).toBe('role');
  });
});
