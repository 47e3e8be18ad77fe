// The public archive: sent bulletins on the web per language, as subscribers got them, with no
// personal data and no tracking. The router is mounted on an app of the test's own, behind helmet
// as the real app has it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { renderBulletin } from '../../src/render/render.js';
import { withTrackedLinks } from '../../src/render/tracked-links.js';
import { archiveRouter } from '../../src/supporters/archive.js';
import { ArchiveStore } from '../../src/supporters/archive-store.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign, sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { canonicalHtml } from '../helpers/html.js';

const SUBJECT = {
  en: 'Our new website, a petition on refugees, and more',
  es: 'Nueva web, una petición por las personas refugiadas',
};
const SLUG_WORDS = 'our-new-website-a-petition-on';
const SENT_AT = '2025-03-04T15:00:00.000Z';
const EARLIER = '2025-01-10T15:00:00.000Z';
const READER = { email: 'ana.reader@example.net', name: 'Ana Lectora' };

/** The example bulletin, with a greeting that uses a merge field and its fallback. */
function archivedBulletin(subject: BulletinDocument['subject']): BulletinDocument {
  const doc = exampleBulletin();
  return {
    ...doc,
    subject,
    blocks: [
      { type: 'text', body: { en: 'Dear {{first_name|friend}}, {{email}}', es: 'Hola, {{ first_name | amiga }}:' } },
      ...doc.blocks,
    ],
  };
}

describe.each(databaseKinds())('public archive on %s', (kind) => {
  let app: TestApp;
  let server: Server;
  let baseUrl: string;
  const ids = { sent: 0, earlier: 0, scheduled: 0, sensitive: 0 };
  let pinned: { bulletinId: number; versionId: number };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, { headers, redirect: 'manual' });
  const listed = (html: string) => [...html.matchAll(/href="\/archive\/(\d+)-/g)].map((m) => Number(m[1]));

  const archivedCampaign = (state: 'sent' | 'scheduled', tracking: 'aggregate' | 'off', finishedAt: string | null) =>
    insertCampaign(
      app.db,
      { id: pinned.bulletinId, versionId: pinned.versionId },
      {
        rule: '{"tag":"press"}',
        topic: 'weekly-bulletin',
        state,
        tracking,
        started_at: finishedAt,
        finished_at: finishedAt,
      },
    );

  beforeAll(async () => {
    app = await startTestApp(kind);
    const { stores } = app;
    const bulletinId = await sendableBulletin(app);
    // Campaigns pin version 2; a later edit (version 3) must not show in the archive.
    const version = await stores.bulletins.save(bulletinId, archivedBulletin(SUBJECT));
    await stores.bulletins.save(bulletinId, archivedBulletin({ en: 'A later edit', es: 'Una edición posterior' }));
    pinned = { bulletinId, versionId: version.versionId };

    ids.sent = await archivedCampaign('sent', 'aggregate', SENT_AT);
    ids.earlier = await archivedCampaign('sent', 'aggregate', EARLIER);
    ids.scheduled = await archivedCampaign('scheduled', 'aggregate', null);
    ids.sensitive = await archivedCampaign('sent', 'off', SENT_AT);

    // What a real send leaves behind: templates with counted /c/ links, and a delivery to a person.
    const context = await stores.renderer.themeContext(version.document);
    const tracked = withTrackedLinks(version.document, () => `${TEST_PUBLIC_URL}/c/tracked-link-token`);
    await stores.campaigns.saveTemplates(
      ids.sent,
      Object.fromEntries(
        await Promise.all(['en', 'es'].map(async (l) => [l, await renderBulletin(tracked, l, context)])),
      ),
    );
    const reader = await (
      await app.request('POST', '/api/subscribers', { json: { ...READER, language: 'es', status: 'active' } })
    ).json();
    await app.db.database.db
      .insertInto('deliveries')
      .values({
        campaign_id: ids.sent,
        subscriber_id: reader.id,
        language: 'es',
        status: 'sent',
        message_id: 'msg-1',
        last_error: null,
        claim: null,
        sent_at: SENT_AT,
        delivered_at: null,
        updated_at: SENT_AT,
      })
      .execute();

    const web = express();
    web.use(helmet());
    web.use(
      archiveRouter({
        archive: new ArchiveStore(app.db.database.db),
        bulletins: stores.bulletins,
        renderer: stores.renderer,
        settings: stores.settings,
        mjml: stores.mjml,
        publicUrl: TEST_PUBLIC_URL,
      }),
    );
    server = await new Promise((resolve) => {
      const s = web.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
  });

  describe('the list', () => {
    it('lists only sent, non-sensitive campaigns, newest first, once each, with the date they were sent', async () => {
      const res = await get('/archive');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('vary')).toContain('Accept-Language');
      const html = await res.text();
      expect(html).toContain('<html lang="en">');
      expect(listed(html)).toEqual([ids.sent, ids.earlier]);
      expect(html).toContain(`<a href="/archive/${ids.sent}-${SLUG_WORDS}?lang=en">${SUBJECT.en}</a>`);
      expect(canonicalHtml(html)).toContain(
        canonicalHtml(
          `<time datetime="${SENT_AT}">` +
            `${new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(SENT_AT))}</time>`,
        ),
      );
      expect(html).not.toContain('A later edit');
    });

    it('is in Spanish with ?lang=es and with Accept-Language: es, dates included', async () => {
      for (const res of [
        await get('/archive?lang=es'),
        await get('/archive', { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' }),
      ]) {
        const html = await res.text();
        expect(html).toContain('<html lang="es">');
        expect(html).toContain('Archivo de boletines');
        expect(html).toContain(`<a href="/archive/${ids.sent}-${SLUG_WORDS}?lang=es">${SUBJECT.es}</a>`);
        expect(html).toContain(new Intl.DateTimeFormat('es', { dateStyle: 'long' }).format(new Date(SENT_AT)));
        expect(listed(html)).toEqual([ids.sent, ids.earlier]);
      }
    });
  });

  describe('a bulletin', () => {
    const canonical = () => `/archive/${ids.sent}-${SLUG_WORDS}`;

    it('shows the pinned version in Spanish as subscribers got it, with no tracking and nothing personal', async () => {
      const res = await get(`${canonical()}?lang=es`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // Images may load; scripts and the mail's web font (a third party) may not.
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; " +
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      const html = await res.text();
      expect(html).toMatch(/<html lang="es"/);
      expect(html).toContain(`<title>${SUBJECT.es}</title>`);
      expect(html).toContain('Hola, amiga:');
      expect(html).not.toContain('{{');
      expect(html).not.toContain('Una edición posterior');
      expect(html).not.toContain('/c/');
      expect(html).not.toMatch(/\/(unsubscribe|preferences)\//);
      expect(html).not.toContain(READER.email);
      expect(html).not.toContain('Lectora');
      expect(html).toContain('href="https://nnirr.org/petition-refugee-admissions"');
      // A bar back to the archive and to the other language, without JavaScript.
      expect(html).toContain('<a href="/archive?lang=es">← Todos los boletines</a>');
      expect(canonicalHtml(html)).toContain(
        canonicalHtml(`<a href="${canonical()}?lang=en" lang="en" hreflang="en">English</a>`),
      );
      expect(html).not.toContain('<script');
    });

    it('has no preferences, unsubscribe, view-in-browser or "you receive this", but a call to subscribe', async () => {
      const pages = {
        en: await (await get(`${canonical()}?lang=en`)).text(),
        es: await (await get(`${canonical()}?lang=es`)).text(),
      };
      for (const text of [
        'Manage your preferences',
        'Unsubscribe',
        'View this email in your browser',
        'You receive this email',
        'Weekly bulletin</strong>',
      ])
        expect(pages.en).not.toContain(text);
      for (const text of [
        'Gestionar tus preferencias',
        'Darte de baja',
        'Ver este correo en el navegador',
        'Recibes este correo',
      ])
        expect(pages.es).not.toContain(text);
      expect(pages.en).toContain('Receive the next bulletins of NNIRR by email.');
      expect(pages.en).toMatch(
        new RegExp(`<a href="${TEST_PUBLIC_URL}/subscribe\\?lang=en"[^>]*>\\s*Subscribe\\s*</a>`),
      );
      expect(pages.es).toContain('Recibe por correo los próximos boletines de NNIRR.');
      expect(pages.es).toMatch(
        new RegExp(`<a href="${TEST_PUBLIC_URL}/subscribe\\?lang=es"[^>]*>\\s*Suscríbete\\s*</a>`),
      );
      // The one subscribe link is the call; nothing else points at the subscribe page.
      for (const html of Object.values(pages)) expect(html.match(/\/subscribe\b/g)).toHaveLength(1);
    });

    it('fills merge fields with their fallback or nothing in English too', async () => {
      const html = await (await get(`${canonical()}?lang=en`)).text();
      expect(html).toMatch(/<html lang="en"/);
      expect(html).toContain('Dear friend,');
      expect(html).not.toContain('{{');
      expect(html).not.toContain('@example.net');
    });

    it('takes the language from Accept-Language when no ?lang is given', async () => {
      const html = await (await get(canonical(), { 'accept-language': 'es-ES,es;q=0.9' })).text();
      expect(html).toMatch(/<html lang="es"/);
    });

    it('falls back to a language the bulletin has for ?lang=fr', async () => {
      expect(await (await get(`${canonical()}?lang=fr`)).text()).toMatch(/<html lang="en"/);
      expect(await (await get(`${canonical()}?lang=fr`, { 'accept-language': 'fr, es;q=0.8' })).text()).toMatch(
        /<html lang="es"/,
      );
    });

    it("keeps a rendered page, yet shows the organisation's new look once its settings change", async () => {
      const first = await (await get(`${canonical()}?lang=es`)).text();
      expect(await (await get(`${canonical()}?lang=es`)).text()).toBe(first);
      await app.request('PUT', '/api/settings', { json: { organisationName: 'Red Nacional', brandColor: '#123456' } });
      const after = await (await get(`${canonical()}?lang=es`)).text();
      expect(after).toContain('Red Nacional');
      expect(after).toContain('#123456');
      expect(first).not.toContain('#123456');
    });

    it("redirects the mail's link (the id alone) and outdated words to the canonical URL, keeping ?lang", async () => {
      const cases: [string, string][] = [
        [`/archive/${ids.sent}?lang=es`, `${canonical()}?lang=es`],
        [`/archive/${ids.sent}`, canonical()],
        [`/archive/${ids.sent}-an-old-subject?lang=en`, `${canonical()}?lang=en`],
      ];
      for (const [from, to] of cases) {
        const res = await get(from);
        expect(res.status, from).toBe(301);
        expect(res.headers.get('location'), from).toBe(to);
      }
    });

    it('is not found, in both languages, when scheduled, sensitive or unknown', async () => {
      for (const path of [
        `/archive/${ids.scheduled}`,
        `/archive/${ids.sensitive}`,
        `/archive/${ids.sensitive}-${SLUG_WORDS}`,
        '/archive/999999',
        '/archive/99999999999',
        '/archive/not-a-bulletin',
      ]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        const html = await res.text();
        expect(html).toContain('Bulletin not found');
        expect(html).toContain('No encontramos este boletín');
      }
      expect(await (await get(`/archive/${ids.scheduled}?lang=es`)).text()).toContain('<html lang="es">');
    });
  });

  // Last: adds campaigns.
  it('pages the list 20 at a time; a page past the end is not found, a non-numeric page is refused', async () => {
    const more: number[] = [];
    for (let day = 1; day <= 20; day++)
      more.push(await archivedCampaign('sent', 'aggregate', `2024-12-${String(day).padStart(2, '0')}T12:00:00.000Z`));
    const first = await (await get('/archive?lang=en')).text();
    expect(listed(first)).toEqual([ids.sent, ids.earlier, ...more.slice(2).reverse()]);
    expect(first).toContain('Page 1 of 2');
    expect(first).toContain('<a href="/archive?page=2&amp;lang=en" rel="next">Older bulletins →</a>');
    const second = await (await get('/archive?page=2&lang=es')).text();
    expect(listed(second)).toEqual([more[1], more[0]]);
    expect(second).toContain('Página 2 de 2');
    expect(second).toContain('<a href="/archive?page=1&amp;lang=es" rel="prev">← Boletines más recientes</a>');
    expect((await get('/archive?page=3')).status).toBe(404);
    for (const bad of ['0', 'two', '1.5']) expect((await get(`/archive?page=${bad}`)).status, bad).toBe(400);
  });
});
