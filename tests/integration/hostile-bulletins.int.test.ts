// Bulletins carrying HTML, scripts, event handlers, javascript: and data: URLs, and CR/LF or other
// control characters in the fields that end up in headers (subject, preheader, sender name): a
// link field that is not https is refused naming the field; everything else is stored as given
// and comes out inert in the preview, the public archive, a test send and a real campaign's mail,
// and no header of any sent message holds a control character.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';
import { ScriptedSes, type ReceivedMessage } from '../support/scripted-ses.js';

const SCRIPT = '<script>alert(1)</script>';
const HANDLER = '<img src=x onerror=alert(1)>';
/** Markdown links to script and data URLs: the pre-send checks name each, and refuse to send. */
const SCRIPT_LINKS = [
  '[md link](javascript:alert(1))',
  '[cased](JaVaScRiPt:alert(1))',
  '[entity](&#106;avascript:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
];
const HTML_ATTACKS = [
  SCRIPT,
  HANDLER,
  '<a href="javascript:alert(1)">raw link</a>',
  '[tabbed](java\tscript:alert(1))',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(1)>',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '<form action="https://evil.example"><input name=x></form>',
];
/** Control characters a header must never carry: CR/LF to add headers, and the rest. */
const HEADER_BREAKERS = '\r\nBcc: victim@example.org\r\n\u000b\u001b[31m\u0007\u007f';

function hostileBulletin(options: { scriptLinks: boolean }): BulletinDocument {
  const doc = exampleBulletin();
  const MARKDOWN_ATTACKS = [...HTML_ATTACKS, ...(options.scriptLinks ? SCRIPT_LINKS : [])].join('\n\n');
  const [announcement, , statement, text] = doc.blocks;
  if (announcement?.type !== 'announcement' || statement?.type !== 'statement' || text?.type !== 'text')
    throw new Error('the example bulletin changed: adapt this test');
  return {
    ...doc,
    title: `${SCRIPT} <b onmouseover=alert(1)>Title</b>`,
    subject: { en: `Hello ${HANDLER}${HEADER_BREAKERS}end`, es: `Hola\r\nX-Injected: yes\r\n\r\n${SCRIPT}` },
    preheader: { en: `Pre${HEADER_BREAKERS}${HANDLER}`, es: `Pre "quoted" ${SCRIPT}` },
    blocks: [
      {
        ...announcement,
        heading: { en: `${SCRIPT}Heading`, es: `<b onclick=alert(1)>Titular</b>` },
        body: { en: MARKDOWN_ATTACKS, es: MARKDOWN_ATTACKS },
      },
      {
        ...statement,
        speaker: `</p>${SCRIPT}"'><x onerror=alert(1)>`,
        quote: { en: `“${HANDLER}”`, es: options.scriptLinks ? '[q](javascript:alert(1))' : SCRIPT },
      },
      {
        ...text,
        body: { en: `Dear {{first_name|<script>alert(1)</script>}}, ${MARKDOWN_ATTACKS}`, es: MARKDOWN_ATTACKS },
      },
      ...doc.blocks.slice(4),
    ],
  };
}

/** What must never be in HTML we render: scripts, handlers, script URLs, frames, forms. */
function activeContent(html: string): string[] {
  // Each tag with its quoted attribute values emptied: escaped text inside a value is inert.
  const tags = (html.match(/<[a-z](?:[^>"']|"[^"]*"|'[^']*')*>/gi) ?? []).map((tag) =>
    tag.replace(/=\s*("[^"]*"|'[^']*')/g, (whole, value: string) =>
      /^["']\s*(javascript|data|vbscript):/i.test(value) || /url\(\s*['"]?\s*javascript:/i.test(value) ? whole : '=""',
    ),
  );
  return [
    ...(html.match(/<(script|iframe|svg|object|embed|form|input)\b[^>]*>/gi) ?? []),
    ...tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag)),
    ...tags.filter((tag) => /(href|src|action|style)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(tag)),
    ...tags.filter((tag) => /url\(\s*['"]?\s*javascript:/i.test(tag)),
  ];
}

/** Headers of a sent message that hold a control character. */
function brokenHeaders(message: ReceivedMessage): string[] {
  const headers: Record<string, string> = {
    Subject: message.subject,
    From: message.from,
    'Reply-To': message.replyTo.join(', '),
    ...message.headers,
  };
  return Object.entries(headers)
    .filter(([, value]) => /[\u0000-\u001f\u007f]/.test(value))
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
}

describe.each(databaseKinds())('hostile bulletins on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '50' } });
    const settings = await app.request('PUT', '/api/settings', {
      json: {
        organisationName: `NNIRR ${SCRIPT}`,
        postalAddress: `310 8th Street${HANDLER}`,
        senderEmail: 'bulletin@nnirr.org',
        senderName: `NNIRR"${HEADER_BREAKERS}<x@evil.example>`,
        replyTo: 'reply@nnirr.org',
      },
    });
    expect(settings.status).toBe(200);
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });
    const created = await app.request('POST', '/api/bulletins', { json: hostileBulletin({ scriptLinks: true }) });
    expect(created.status, await created.clone().text()).toBe(201);
    bulletinId = (await created.json()).id;
    // A reader whose own name is hostile: it reaches the mail through merge fields.
    const csv =
      `email,name,language,topics\nana@hostile.example,"${SCRIPT.replaceAll('"', '""')}\r\nBcc: x@evil.example",` +
      'en,weekly-bulletin\nbeto@hostile.example,"<b onclick=alert(1)>Beto</b>",es,weekly-bulletin\n';
    const imported = await app.request('POST', '/api/subscribers/import', {
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect((await imported.json()).created).toBe(2);
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it('refuses javascript:, data: and other script URLs in link fields, naming the field; stores nothing', async () => {
    const before = await databaseSnapshot(app.db);
    const cases: [string, (doc: any) => void][] = [
      ['blocks[0].link.href', (doc) => (doc.blocks[0].link = { href: 'javascript:alert(1)', label: { en: 'x' } })],
      [
        'blocks[0].image.src',
        (doc) => (doc.blocks[0].image = { src: 'data:image/svg+xml,<svg onload=alert(1)>', alt: { en: 'x' } }),
      ],
      ['blocks[7].button.href', (doc) => (doc.blocks[7].button.href = ' JAVASCRIPT:alert(1)')],
      ['blocks[0].link.href', (doc) => (doc.blocks[0].link = { href: 'vbscript:msgbox(1)', label: { en: 'x' } })],
    ];
    for (const [field, change] of cases) {
      const doc = exampleBulletin() as any;
      change(doc);
      for (const [method, path] of [
        ['POST', '/api/bulletins'],
        ['PUT', `/api/bulletins/${bulletinId}`],
      ] as const) {
        const res = await app.request(method, path, { json: doc });
        expect(res.status, `${method} ${field}`).toBe(400);
        expect((await res.json()).error.issues.map((i: { path: string }) => i.path)).toContain(field);
      }
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('keeps an http or protocol-relative address as a draft, and the checks refuse it until it is https', async () => {
    for (const href of ['http://plain.example', '//evil.example/x']) {
      const doc = exampleBulletin() as any;
      doc.blocks[0].link = { href, label: { en: 'x' } };
      const created = await app.request('POST', '/api/bulletins', { json: doc });
      expect(created.status, href).toBe(201);
      const { id } = await created.json();
      const { findings } = await (await app.request('GET', `/api/bulletins/${id}/checks`)).json();
      expect(findings, href).toContainEqual(expect.objectContaining({ level: 'error', field: 'blocks[0].link.href' }));
      expect((await app.request('POST', `/api/bulletins/${id}/send`, { json: { rule: { all: [] } } })).status).toBe(
        422,
      );
      expect((await app.request('DELETE', `/api/bulletins/${id}`)).status).toBe(204);
    }
  });

  it('stores the hostile document as given', async () => {
    const stored = await (await app.request('GET', `/api/bulletins/${bulletinId}`)).json();
    expect(stored.document).toEqual(hostileBulletin({ scriptLinks: true }));
  });

  it('renders it inert in the preview, in both languages, in HTML and in plain text', async () => {
    for (const lang of ['en', 'es']) {
      const res = await app.request('GET', `/api/bulletins/${bulletinId}/preview?lang=${lang}&format=html`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(activeContent(html), lang).toEqual([]);
      // The text of an attack is shown as text, escaped.
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const text = await (
        await app.request('GET', `/api/bulletins/${bulletinId}/preview?lang=${lang}&format=text`)
      ).text();
      expect(text).not.toMatch(/javascript:|data:text/i);
    }
  });

  it('keeps test copies, a campaign and its archive page inert, with no control character in the headers', async () => {
    const test = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['tester@example.org'], lang: 'en' },
    });
    expect(test.status, await test.clone().text()).toBe(200);
    const audience = { json: { rule: { emailDomain: 'hostile.example' }, archive: true } };
    // Links to scripts or data block a send, each named; the rest of the attacks do not.
    const refused = await app.request('POST', `/api/bulletins/${bulletinId}/send`, audience);
    expect(refused.status).toBe(422);
    const findings = (await refused.json()).error.findings as { code: string; message: string }[];
    expect(findings.filter((f) => f.code === 'unsafe_link').map((f) => f.message.split(':')[0])).toEqual(
      expect.arrayContaining(['blocks[0].body', 'blocks[1].quote', 'blocks[2].body']),
    );
    expect(
      (await app.request('PUT', `/api/bulletins/${bulletinId}`, { json: hostileBulletin({ scriptLinks: false }) }))
        .status,
    ).toBe(200);
    const send = await app.request('POST', `/api/bulletins/${bulletinId}/send`, audience);
    expect(send.status, await send.clone().text()).toBe(201);
    const campaignId = (await send.json()).id as number;
    expect((await waitForCampaign(app, campaignId, ['sent'], 60_000)).counts).toMatchObject({ sent: 2, failed: 0 });

    const sent = ses.received.filter((m) =>
      ['tester@example.org', 'ana@hostile.example', 'beto@hostile.example'].includes(m.to),
    );
    expect(sent.map((m) => m.to).sort()).toEqual(['ana@hostile.example', 'beto@hostile.example', 'tester@example.org']);
    for (const message of sent) {
      expect(brokenHeaders(message), message.to).toEqual([]);
      expect(activeContent(message.html), message.to).toEqual([]);
      expect(message.text, message.to).not.toMatch(/javascript:|data:text/i);
      // The sender's display name cannot close its quotes (a quote in it is escaped) or add an address of its own.
      expect(message.from).toMatch(/^"(?:[^"\\]|\\.)*" <bulletin@nnirr\.org>$/);
    }
    const ana = sent.find((m) => m.to === 'ana@hostile.example')!;
    expect(ana.html).not.toContain(SCRIPT);
    // A subject is plain text: the markup stays as typed, on one line.
    expect(ana.subject.startsWith(`Hello ${HANDLER} Bcc: victim@example.org`)).toBe(true);

    for (const lang of ['en', 'es']) {
      const page = await fetch(`${app.baseUrl}/archive/${campaignId}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(activeContent(await page.text()), `archive ${lang}`).toEqual([]);
    }
    const list = await fetch(`${app.baseUrl}/archive`);
    expect(activeContent(await list.text()), 'archive list').toEqual([]);
  }, 90_000);
});
