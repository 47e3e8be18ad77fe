// The public archive: published bulletins on the web per language, as subscribers got them, with
// no personal data and no tracking, read from the pages stored when each campaign was prepared. The
// router is mounted on an app of the test's own, behind helmet as the real app has it, and given no
// renderer: it can only read.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { CampaignsTable } from '../../src/db/schema.js';
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
  const ids = { sent: 0, earlier: 0, scheduled: 0, notPublished: 0, privateTopic: 0, unstored: 0 };
  let pinned: { bulletinId: number; versionId: number };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, { headers, redirect: 'manual' });
  const listed = (html: string) => [...html.matchAll(/href="\/archive\/(\d+)-/g)].map((m) => Number(m[1]));

  /** A published campaign of the pinned version, by default sent to the public topic. */
  const archivedCampaign = (
    state: 'sent' | 'scheduled',
    finishedAt: string | null,
    fields: Partial<Insertable<CampaignsTable>> = {},
  ) =>
    insertCampaign(
      app.db,
      { id: pinned.bulletinId, versionId: pinned.versionId },
      {
        rule: '{"tag":"press"}',
        topic: 'weekly-bulletin',
        state,
        archive: 1,
        started_at: finishedAt,
        finished_at: finishedAt,
        ...fields,
      },
    );
  /** A stand-in for a stored page, for campaigns the tests only list. */
  const storeListedPage = (campaignId: number) =>
    app.db.database.db
      .insertInto('archive_pages')
      .values({ campaign_id: campaignId, language: 'en', html: '<html></html>', created_at: SENT_AT })
      .execute();

  beforeAll(async () => {
    app = await startTestApp(kind);
    const { stores } = app;
    const bulletinId = await sendableBulletin(app);
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
    await app.request('POST', '/api/topics', { json: { key: 'members', name: { en: 'Members' } } });
    // Campaigns pin version 2; a later edit (version 3) must not show in the archive.
    const version = await stores.bulletins.save(bulletinId, archivedBulletin(SUBJECT));
    await stores.bulletins.save(bulletinId, archivedBulletin({ en: 'A later edit', es: 'Una edición posterior' }));
    pinned = { bulletinId, versionId: version.versionId };

    ids.sent = await archivedCampaign('sent', SENT_AT);
    ids.earlier = await archivedCampaign('sent', EARLIER);
    ids.scheduled = await archivedCampaign('scheduled', null);
    ids.notPublished = await archivedCampaign('sent', SENT_AT, { archive: 0 });
    ids.privateTopic = await archivedCampaign('sent', SENT_AT, { topic: 'members' });
    // Published and prepared before pages were stored (migration 0010): the oldest of all.
    ids.unstored = await archivedCampaign('sent', '2024-11-01T12:00:00.000Z', { templates: '{}' });

    // What a real send leaves behind: the archive's pages, stored as the campaign was prepared
    // (the others' pages stored as well: only the campaign's flags keep them out), templates with
    // counted /c/ links, and a delivery to a person.
    const context = await stores.renderer.themeContext(version.document);
    for (const id of [ids.sent, ids.scheduled, ids.notPublished, ids.privateTopic])
      await stores.archivePages.publish(id, version.document, context);
    await storeListedPage(ids.earlier);
    const tracked = (l: string) =>
      withTrackedLinks(version.document, l, () => `${TEST_PUBLIC_URL}/c/tracked-link-token`);
    await stores.campaigns.saveTemplates(
      ids.sent,
      Object.fromEntries(
        await Promise.all(['en', 'es'].map(async (l) => [l, await renderBulletin(tracked(l), l, context)])),
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
        settings: stores.settings,
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
    it('lists only sent, published campaigns with stored pages, newest first, once each, with their date', async () => {
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
        "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; " +
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
        'Gestione sus preferencias',
        'Cancelar la suscripción',
        'Ver este correo en el navegador',
        'Usted recibe este correo',
      ])
        expect(pages.es).not.toContain(text);
      expect(pages.en).toContain('Receive the next bulletins of NNIRR by email.');
      expect(pages.en).toMatch(
        new RegExp(`<a href="${TEST_PUBLIC_URL}/subscribe\\?lang=en"[^>]*>\\s*Subscribe\\s*</a>`),
      );
      expect(pages.es).toContain('Reciba por correo los próximos boletines de NNIRR.');
      expect(pages.es).toMatch(
        new RegExp(`<a href="${TEST_PUBLIC_URL}/subscribe\\?lang=es"[^>]*>\\s*Suscribirse\\s*</a>`),
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

    it('shows the page stored as the campaign was prepared: a later settings change does not touch it', async () => {
      const first = await (await get(`${canonical()}?lang=es`)).text();
      expect(first).toContain('NNIRR');
      await app.request('PUT', '/api/settings', { json: { organisationName: 'Red Nacional', brandColor: '#123456' } });
      const after = await (await get(`${canonical()}?lang=es`)).text();
      expect(after).toBe(first);
      expect(after).not.toContain('Red Nacional');
      expect(after).not.toContain('#123456');
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

    it('is not found, in both languages, when scheduled, unpublished, private, not stored yet or unknown', async () => {
      for (const path of [
        `/archive/${ids.scheduled}`,
        `/archive/${ids.notPublished}`,
        `/archive/${ids.notPublished}-${SLUG_WORDS}`,
        `/archive/${ids.privateTopic}-${SLUG_WORDS}`,
        `/archive/${ids.unstored}-${SLUG_WORDS}`,
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

  it('stores the same pages again when a start job runs again after a crash: one per language', async () => {
    const pages = () =>
      app.db.database.db
        .selectFrom('archive_pages')
        .select(['language', 'html'])
        .where('campaign_id', '=', ids.sent)
        .orderBy('language')
        .execute();
    const before = await pages();
    const version = await app.stores.bulletins.version(pinned.versionId);
    await app.stores.archivePages.publish(ids.sent, version, await app.stores.renderer.themeContext(version));
    const after = await pages();
    expect(after.map((p) => p.language)).toEqual(['en', 'es']);
    // Rendered again with today's settings, as the start job would render its mail.
    expect(after[1]!.html).toContain('Red Nacional');
    expect(before[1]!.html).not.toContain('Red Nacional');
  });

  // Stores pages, then adds campaigns.
  it('shows a campaign published before its pages were stored once `npm start` has stored them', async () => {
    const settings = await (await app.request('GET', '/api/settings')).json();
    expect(await app.stores.archivePages.backfill()).toBe(1);
    expect(await app.stores.archivePages.backfill()).toBe(0);
    const res = await get(`/archive/${ids.unstored}-${SLUG_WORDS}?lang=es`);
    expect(res.status).toBe(200);
    // Rendered with the settings of the day, as the archive showed it before.
    expect(await res.text()).toContain(settings.organisationName);
    expect(listed(await (await get('/archive')).text())).toEqual([ids.sent, ids.earlier, ids.unstored]);
  });

  it('pages the list 20 at a time; a page past the end is not found, a non-numeric page is refused', async () => {
    const more: number[] = [];
    for (let day = 1; day <= 20; day++) {
      more.push(await archivedCampaign('sent', `2024-12-${String(day).padStart(2, '0')}T12:00:00.000Z`));
      await storeListedPage(more.at(-1)!);
    }
    const first = await (await get('/archive?lang=en')).text();
    expect(listed(first)).toEqual([ids.sent, ids.earlier, ...more.slice(2).reverse()]);
    expect(first).toContain('Page 1 of 2');
    expect(first).toContain('<a href="/archive?page=2&amp;lang=en" rel="next">Older bulletins →</a>');
    const second = await (await get('/archive?page=2&lang=es')).text();
    expect(listed(second)).toEqual([more[1], more[0], ids.unstored]);
    expect(second).toContain('Página 2 de 2');
    expect(second).toContain('<a href="/archive?page=1&amp;lang=es" rel="prev">← Boletines más recientes</a>');
    expect((await get('/archive?page=3')).status).toBe(404);
    for (const bad of ['0', 'two', '1.5']) expect((await get(`/archive?page=${bad}`)).status, bad).toBe(400);
  });
});
