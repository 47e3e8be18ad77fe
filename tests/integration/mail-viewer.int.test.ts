// /admin/mail: the local SES emulator's mail, read through the real app by signed-in staff, each
// mail's HTML in a sandboxed frame whose links open a new tab. Absent in production and when the
// mail goes to another endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { walkRoutes } from '../helpers/routes.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';

describe('the mail viewer', () => {
  let ses: SesEmulator;
  let app: TestApp;
  let editor: StaffSession;
  const sent: { to: string; messageId: string }[] = [];
  const get = (path: string, headers: Record<string, string> = editor.headers()) =>
    fetch(`${app.baseUrl}${path}`, { headers, redirect: 'manual' });

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    app = await startTestApp('sqlite', { sesEmulator: ses });
    editor = await signIn(app, 'viewer-editor@example.org', 'editor');
    const bulletinId = await sendableBulletin(app);
    // Two test copies, likely within one second (the emulator's clock): the newer is listed first anyway.
    for (const [to, lang] of [
      ['first.reader@example.org', 'en'],
      ['second@example.org', 'es'],
    ] as const) {
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, { json: { to: [to], lang } });
      expect(res.status).toBe(200);
      sent.push(...(await res.json()).sent);
    }
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it('sends a stranger to sign in, page and frame alike', async () => {
    for (const path of ['/admin/mail', `/admin/mail/${sent[0]!.messageId}`, `/admin/mail/${sent[0]!.messageId}/html`]) {
      const res = await get(path, {});
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location'), path).toBe(`/admin/signin?next=${path}`);
    }
    const forged = await get('/admin/mail', { cookie: `pregon_session=${'A'.repeat(43)}` });
    expect(forged.status).toBe(302);
  });

  it('lists what the emulator received, newest first: to, subject, time', async () => {
    const res = await get('/admin/mail');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const time = /<tr><td><time datetime="([^"]+)">[^<]+<\/time><\/td>/.source;
    const link = /<td>([^<]+)<\/td><td><a href="\/admin\/mail\/([^"]+)">([^<]+)<\/a><\/td><\/tr>/.source;
    const rows = [...html.matchAll(new RegExp(time + link, 'g'))];
    expect(rows.map((r) => [r[2], r[3]])).toEqual([
      ['second@example.org', sent[1]!.messageId],
      ['first.reader@example.org', sent[0]!.messageId],
    ]);
    expect(rows[0]![4]).toMatch(/^\[TEST ES\] /);
    expect(Math.abs(Date.parse(rows[0]![1]!) - Date.now())).toBeLessThan(60_000);
  });

  it("shows one mail: its HTML in a frame without the viewer's origin, its text part escaped", async () => {
    const id = sent[0]!.messageId;
    const res = await get(`/admin/mail/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(
      `<iframe src="/admin/mail/${id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox" ` +
        'title="The mail as HTML"></iframe>',
    );
    expect(html).not.toContain('allow-same-origin');
    expect(html).not.toContain('allow-scripts');
    const text = /<pre>([\s\S]*)<\/pre>/.exec(html)![1]!;
    expect(text).toContain('Manage your preferences: https://news.example.org/preferences/');
    expect(html).toContain('<dd>first.reader@example.org</dd>');
  });

  it("serves the mail's HTML with links to new tabs, sandboxed even alone, framed only by the viewer", async () => {
    const res = await get(`/admin/mail/${sent[0]!.messageId}/html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain('sandbox allow-popups allow-popups-to-escape-sandbox');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const html = await res.text();
    expect(html).toMatch(/<head[^>]*><base target="_blank">/);
    expect(html.match(/<base /g)).toHaveLength(1);
    expect(html).toMatch(
      /<a href="https:\/\/news\.example\.org\/preferences\/[^"]+"[^>]*>Manage your preferences<\/a>/,
    );
  });

  it('tells the signed-in web app where it is, so a test send can link to it', async () => {
    const res = await get('/api/session');
    expect(res.status).toBe(200);
    expect((await res.json()).mailViewer).toBe('/admin/mail');
    expect((await get('/api/session', {})).status).toBe(401);
  });

  it('answers 404 for a mail it does not have', async () => {
    for (const path of ['/admin/mail/ses-000000000', '/admin/mail/ses-000000000/html', '/admin/mail/%3Cscript%3E']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('<script>');
    }
  });
});

describe('without the viewer', () => {
  it.each([
    ['in production, even with the emulator as the sender', { NODE_ENV: 'production' }, true],
    ['when mail goes to another SES endpoint', {}, false],
  ] as const)('there is no /admin/mail %s', async (_, env, withEmulator) => {
    const ses = withEmulator ? await startSesEmulator(0) : undefined;
    const app = await startTestApp('sqlite', { sesEmulator: ses, env });
    try {
      expect(walkRoutes(app.express).filter((route) => route.path.startsWith('/admin/mail'))).toEqual([]);
      const editor = await signIn(app, 'absent-editor@example.org', 'editor');
      const res = await fetch(`${app.baseUrl}/admin/mail`, { headers: editor.headers(), redirect: 'manual' });
      // What /admin/* always is: the staff web app's shell (503 while unbuilt), never the viewer.
      expect(await res.text()).not.toContain('Sent mail');
      const session = await (await fetch(`${app.baseUrl}/api/session`, { headers: editor.headers() })).json();
      expect(session.staff.email).toBe('absent-editor@example.org');
      expect(session).not.toHaveProperty('mailViewer');
    } finally {
      await app.close();
      await ses?.close();
    }
  });
});
